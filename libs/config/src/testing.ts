export { FakeClock } from './lib/fake-clock';
export { SeededRandom } from './lib/seeded-random';
