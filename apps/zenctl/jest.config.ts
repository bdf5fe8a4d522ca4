export default {
  displayName: 'zenctl',
  preset: '../../jest.preset.js',
};
