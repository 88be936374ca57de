export { createWideStudent, WIDE_STUDENT_ID, WIDE_STUDENT_DEFAULTS } from './wide-student.js';
export type { WideStudent, WideStudentOptions, WideStudentParams } from './wide-student.js';
export { createMlpTeacher, MLP_TEACHER_ID, MLP_TEACHER_DEFAULTS } from './mlp-teacher.js';
export type { MlpTeacher, MlpTeacherOptions, MlpTeacherParams } from './mlp-teacher.js';
export { createCnnTeacher, CNN_TEACHER_ID, CNN_TEACHER_DEFAULTS } from './cnn-teacher.js';
export type { CnnTeacher, CnnTeacherOptions, CnnTeacherParams } from './cnn-teacher.js';
export { conv2dSame } from './conv-im2col.js';
