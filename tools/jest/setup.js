// Loaded before every spec: tsyringe needs the Reflect metadata API.
require('reflect-metadata');
