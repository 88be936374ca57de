import { InvalidOptionError } from '@pikt/core';
import type { JsonObject } from '@pikt/core';
import type { RunParams } from '../results/types.js';
import type { Preset } from './presets.js';
import type { TaskConfig } from './task.js';
import type { TeacherSpec } from './teacher.js';
import type { PlannedRun, ResolvedRun } from './types.js';

/** A plugin by registry id with its JSON options: how run specs name models and loss terms. */
export interface PluginConfig extends JsonObject {
  id: string;
  options: JsonObject;
}

/** A loss term of the student's objective: its name in the trainer's history and its regularizer. */
export interface TermConfig extends PluginConfig {
  name: string;
}

/** The student's input: the task's inputs, random Fourier features of them, or a teacher's hidden features. */
export type EmbeddingConfig =
  | { id: 'raw' }
  | { id: 'rff'; options: { features: number; bandwidth: 'median'; seed: string } }
  | { id: 'teacher-features'; teacher: TeacherSpec & JsonObject };

/**
 * One student run as plain JSON: everything that determines its numbers, nothing else (no label,
 * no experiment), so its canonical JSON hash is its identity (the scheduler's fingerprint) and a
 * worker anywhere rebuilds the same inputs from it. Models and terms are registry configs,
 * resolved the way a plugin's are; the predictor follows from what the terms declare.
 */
export interface StudentRunSpec extends JsonObject {
  task: TaskConfig & JsonObject;
  /** The teacher whose logits z the terms see, or null (no teacher). */
  teacher: (TeacherSpec & JsonObject) | null;
  embedding: EmbeddingConfig & JsonObject;
  model: PluginConfig;
  terms: TermConfig[];
  /** Full-batch GD at eta = stepScale / ((1 + lambda) mu_max(Hinf)): stepScale 1 is half the stability bound. */
  optimizer: { kind: 'gd'; stepScale: number; lambda: number };
  steps: number;
  /** Seed of the student's initialization. */
  seed: string;
  /** Target of iterations-to-eps (P6). */
  eps: number;
  /** Record the top eigenvalues of H(W(0)) and Hinf (E4). */
  spectrum: boolean;
}

/** The knobs a plan (or a sweep's grid) sets; the rest comes from the preset. */
export interface StudentKnobs {
  lambda: number;
  width: number;
  /** A teacher quality label of the preset; none: null or absent. */
  teacher?: string | null;
  /** One of EMBEDDINGS. */
  embedding: string;
  /** The PI term's name in results.json (and the sweep's grid): 'quadratic', 'kl-T2', 'feature-matching'. */
  regularizer: string;
  /** The PI term as a registry config; default: the one `piTerm` makes for `regularizer`. */
  pi?: PluginConfig;
  steps?: number;
  stepScale?: number;
  /** Seed index of a sweep; 0 is the preset's own initialization. */
  seedIndex?: number;
}

export function teacherSpecFor(preset: Preset, label: string): TeacherSpec & JsonObject {
  const q = preset.teacherQualities.find((t) => t.label === label);
  const base = { label, hidden: preset.teacher.hidden, lr: preset.teacher.lr, seed: preset.seed };
  return q ? { ...base, trainFraction: q.trainFraction, steps: q.steps } : { ...base, trainFraction: 1, steps: preset.teacher.steps };
}

export function taskConfigFor(preset: Preset, dataset: TaskConfig['dataset'], dataDir?: string): TaskConfig & JsonObject {
  return {
    dataset, ...(dataDir ? { dataDir } : {}), classes: preset.classes, trainPerClass: preset.trainPerClass,
    testPerClass: preset.testPerClass, teacherPerClass: preset.teacherPerClass, pcaDim: preset.pcaDim, seed: preset.seed,
  };
}

/** The student's inputs: the task's, random Fourier features of them, or the strong teacher's hidden features. */
export const EMBEDDINGS = ['raw', 'rff', 'teacher-features'] as const;

/** PI terms by their short name: quadratic (closed form), kl / kl-T<T> (Hinton's KL), feature-matching. */
export const PI_TERMS = ['quadratic', 'kl', 'feature-matching'] as const;

/** The registry config of the PI term a short name stands for, at weight lambda. Undefined: unknown name. */
export function piTerm(name: string, lambda: number, preset: Preset): PluginConfig | undefined {
  if (name === 'quadratic') return { id: 'quadratic-pi', options: { lambda } };
  const kl = /^kl(?:-T(\d+(?:\.\d+)?))?$/.exec(name);
  if (kl) return { id: 'hinton-kl', options: { weight: lambda, temperature: kl[1] === undefined ? preset.temperature : Number(kl[1]) } };
  if (name === 'feature-matching') return { id: 'feature-matching', options: { weight: lambda, projection: 'none' } };
  return undefined;
}

/**
 * The run spec for a set of knobs: label fit 1/2 ||u - y||^2 plus, with a teacher and lambda > 0,
 * the PI term. A term on hidden features gets a student that exposes features of the teacher's width.
 */
export function studentRunSpec(preset: Preset, task: TaskConfig & JsonObject, k: StudentKnobs): StudentRunSpec {
  const teacher = k.teacher ? teacherSpecFor(preset, k.teacher) : null;
  const terms: TermConfig[] = [{ name: 'label', id: 'label-fit', options: { loss: 'squared' } }];
  const pi = k.pi ?? piTerm(k.regularizer, k.lambda, preset);
  if (!pi) throw new InvalidOptionError('regularizer', k.regularizer, `one of ${PI_TERMS.join(', ')} (or kl-T<temperature>)`);
  if (!(EMBEDDINGS as readonly string[]).includes(k.embedding)) throw new InvalidOptionError('embedding', k.embedding, `one of ${EMBEDDINGS.join(', ')}`);
  if (teacher && k.lambda !== 0) terms.push({ name: 'pi', ...pi });
  const onFeatures = teacher !== null && k.lambda !== 0 && pi.id === 'feature-matching';
  const embedding: EmbeddingConfig & JsonObject = k.embedding === 'rff'
    ? { id: 'rff', options: { features: preset.rffDim, bandwidth: 'median', seed: `${preset.seed}/rff` } }
    : k.embedding === 'teacher-features' ? { id: 'teacher-features', teacher: teacherSpecFor(preset, 'strong') } : { id: 'raw' };
  return {
    task, teacher, embedding,
    model: { id: 'wide-student', options: { width: k.width, kappa: preset.kappa, symmetric: true, trainLayers: 'first', ...(onFeatures ? { features: 'projected', featureDim: teacher.hidden } : {}) } },
    terms,
    optimizer: { kind: 'gd', stepScale: k.stepScale ?? preset.stepScale, lambda: k.lambda },
    steps: k.steps ?? preset.steps,
    // One initialization per width, shared by every run of that width, so runs differ only in what they vary.
    seed: `${preset.seed}/student/m=${k.width}${k.seedIndex ? `/seed=${k.seedIndex}` : ''}`,
    eps: preset.eps,
    spectrum: true,
  };
}

/** RunParams (results.json) of a set of knobs. */
export function knobParams(k: StudentKnobs): RunParams {
  return { lambda: k.lambda, alpha: k.lambda / (1 + k.lambda), width: k.width, teacher: k.teacher ?? null, embedding: k.embedding, regularizer: k.regularizer };
}

/** Make each planned run concrete: its results.json params and its JSON run spec. */
export function resolvePlan(plan: readonly PlannedRun[], preset: Preset, task: TaskConfig & JsonObject): ResolvedRun[] {
  return plan.map((r) => ({ experiment: r.experiment, label: r.label, params: knobParams(r.knobs), spec: studentRunSpec(preset, task, r.knobs) }));
}
