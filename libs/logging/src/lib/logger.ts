import type { InjectionToken } from 'tsyringe';
import type winston from 'winston';

/**
 * The logger every project receives through {@link LOGGER}. It is winston's logger type,
 * re-exported so that no other project imports winston itself.
 */
export type Logger = winston.Logger;

/** Injection token of the app's one {@link Logger}. */
export const LOGGER: InjectionToken<Logger> = Symbol('zen.logging.Logger');
