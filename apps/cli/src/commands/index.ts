import type { CommandDefinition } from '../cli.js';
import { analyzeCommand } from './analyze.js';
import { benchCommand } from './bench.js';
import { distillCommand } from './distill.js';
import { listCommand } from './list.js';
import { reproduceCommand } from './reproduce.js';
import { sweepCommand } from './sweep.js';
import { workerCommand } from './worker.js';
import { trainTeacherCommand } from './train-teacher.js';

/** Every `pikt` command, in the order `pikt --help` lists them. */
export const COMMANDS: readonly CommandDefinition[] = [reproduceCommand, analyzeCommand, trainTeacherCommand, distillCommand, benchCommand, listCommand, sweepCommand, workerCommand];
