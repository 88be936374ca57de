import type { CommandDefinition } from '../cli.js';
import { analyzeCommand } from './analyze.js';
import { listCommand } from './list.js';

/** Every `pikt` command, in the order `pikt --help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [analyzeCommand, listCommand];
