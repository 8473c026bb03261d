/** The question suite's token total may not exceed this (arguments written + answers read, cl100k). */
export const QUESTIONS_BUDGET = 26_000;
