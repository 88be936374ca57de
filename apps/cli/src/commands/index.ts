import type { CommandDefinition } from '../cli.js';
import { analyzeCommand } from './analyze.js';
import { listCommand } from './list.js';
import { reproduceCommand } from './reproduce.js';

/** Every `pikt` command, in the order `pikt --help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [reproduceCommand, analyzeCommand, listCommand];
