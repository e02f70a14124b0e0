/**
 * The course's data model, as loaded from phases/<id>/phase.json and quiz.json.
 * Everything here is plain data: no I/O, no output. The loader in this folder
 * validates files against these shapes and returns frozen objects.
 */

/** A check group: one teaching goal of a phase (e.g. phase 06's "sigterm-drain"). */
export interface CheckGroup {
  /** Stable id used in check titles' describe blocks, reports and mutants, e.g. "hanging-rejection". */
  readonly id: string;
  /** One line for humans, e.g. "Async errors become a 500, never a hang". */
  readonly title: string;
  /** The LESSON.md heading to point learners at when a check of this group fails. */
  readonly lessonSection: string;
}

export interface QuizQuestion {
  readonly question: string;
  readonly choices: readonly string[];
  /** Index into choices of the one correct answer. */
  readonly answer: number;
  /** Shown after answering, right or wrong. */
  readonly explanation: string;
}

export interface Phase {
  /** Folder name "NN-slug": the identity everywhere (phases/, solutions/, checks/, progress, CLI args). */
  readonly id: string;
  /** The two-digit number, e.g. "06". */
  readonly number: string;
  readonly title: string;
  readonly summary: string;
  /**
   * Files the checks start, in order of preference: the first one that exists in the
   * learner's folder is run (phase 06 runs main.ts once it exists, server.ts before).
   */
  readonly entry: readonly string[];
  /** Files copied into the learner's phase folder (relative to phases/<id>/starter/). */
  readonly starter: readonly string[];
  /**
   * The starter files holding the // TODO markers, in the order the lesson works through
   * them: what the "Edit" line of next, status and lesson names. Declared rather than
   * guessed (the first .ts file is often one the learner must keep as it is); the course
   * lint holds it to the TODOs and the lesson.
   */
  readonly edit: readonly string[];
  /** Files the lesson has the learner create, in the lesson's order (phase.json "create"; empty when none). */
  readonly create: readonly string[];
  /** Progressive hints: nudge first, near-solution last. Never empty. */
  readonly hints: readonly string[];
  readonly groups: readonly CheckGroup[];
  readonly estimateMinutes: number;
  readonly quiz: readonly QuizQuestion[];
  /** Absolute paths inside the installed package. */
  readonly paths: {
    readonly phaseDir: string;
    readonly starterDir: string;
    readonly lesson: string;
    readonly solutionDir: string;
    readonly checksDir: string;
  };
}
