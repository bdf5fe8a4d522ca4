export default {
  displayName: 'control-plane',
  preset: '../../jest.preset.js',
};
