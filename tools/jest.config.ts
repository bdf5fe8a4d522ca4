export default {
  displayName: 'tools',
  preset: '../jest.preset.js',
  testTimeout: 120000,
};
