export default {
  displayName: 'ca',
  preset: '../../jest.preset.js',
};
