export { createWideStudent, WIDE_STUDENT_ID, WIDE_STUDENT_DEFAULTS } from './wide-student.js';
export type { WideStudent, WideStudentOptions, WideStudentParams } from './wide-student.js';
