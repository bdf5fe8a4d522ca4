export default {
  displayName: 'hmac',
  preset: '../../jest.preset.js',
};
