export default {
  displayName: 'e2e',
  preset: '../jest.preset.js',
  // Each spec starts real processes; give them room and run the files one at a time.
  testTimeout: 240000,
  maxWorkers: 1,
};
