export default {
  displayName: 'store',
  preset: '../../jest.preset.js',
};
