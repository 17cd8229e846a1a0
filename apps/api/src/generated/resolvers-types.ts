import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { CelestialObject as CelestialObjectParent, Model as ModelParent, Dataset as DatasetParent, Job as JobParent, Evaluation as EvaluationParent, Prediction as PredictionParent, ActivationMap as ActivationMapParent, ApiKey as ApiKeyParent, Strip as StripParent, Spectrum1D as Spectrum1DParent, Cutout as CutoutParent, LabelAudit as LabelAuditParent, LabelAuditEntry as LabelAuditEntryParent, LabelVerdict as LabelVerdictParent } from '../mappers.ts';
import type { ObjectPage as ObjectPageParent } from '../modules/objects/find-objects.ts';
import type { Context } from '../context.ts';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Omit<T, K extends keyof T> = Pick<T, Exclude<keyof T, K>>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** ISO-8601 date and time. */
  DateTime: { input: Date | string; output: Date | string; }
  /** Arbitrary JSON (job parameters, results, progress detail). */
  JSON: { input: unknown; output: unknown; }
};

export type ActivationMap = {
  __typename?: 'ActivationMap';
  model: Model;
  shape: Array<Scalars['Int']['output']>;
  target: ActivationTarget;
  targetClass: ObjectClass;
  values: Array<Scalars['Float']['output']>;
  /** For arms: the wavelength (Å) of each value. */
  wavelengthAngstrom?: Maybe<Array<Scalars['Float']['output']>>;
};

export type ActivationTarget =
  | 'BLUE'
  | 'IMAGE'
  | 'RED';

export type ApiKey = {
  __typename?: 'ApiKey';
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  label?: Maybe<Scalars['String']['output']>;
  lastUsedAt?: Maybe<Scalars['DateTime']['output']>;
  /** The first characters of the key, to recognise it in listings. */
  prefix: Scalars['String']['output'];
  revokedAt?: Maybe<Scalars['DateTime']['output']>;
  user: User;
};

export type Architecture =
  | 'C_NET'
  | 'IMAGE_NET'
  | 'MAC_NET'
  | 'MC_NET'
  | 'M_NET'
  | 'SSCNN_1D';

export type Arm =
  | 'BLUE'
  | 'RED';

export type CelestialObject = {
  __typename?: 'CelestialObject';
  activationMaps: Array<ActivationMap>;
  catalogueClass?: Maybe<ObjectClass>;
  cutout?: Maybe<Cutout>;
  decDeg?: Maybe<Scalars['Float']['output']>;
  designation?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The label a dataset version gives this object: a reviewed correction, else the catalogue class (null: not a member). */
  label?: Maybe<ObjectClass>;
  magnitudes?: Maybe<Scalars['JSON']['output']>;
  missingModalities: Array<Scalars['String']['output']>;
  obsid?: Maybe<Scalars['String']['output']>;
  /** Every model's prediction (or only modelId's). */
  predictions: Array<Prediction>;
  raDeg?: Maybe<Scalars['Float']['output']>;
  redshift?: Maybe<Scalars['Float']['output']>;
  release?: Maybe<Scalars['String']['output']>;
  sdssObjId?: Maybe<Scalars['String']['output']>;
  source: Scalars['String']['output'];
  spectra1d: Array<Spectrum1D>;
  /** The object's split in a dataset: TRAIN, VAL or TEST (null when it is not a member, or no dataset is given). */
  split?: Maybe<Split>;
  strips: Array<Strip>;
  subclass?: Maybe<Scalars['String']['output']>;
  /** Every verdict on this object's catalogue class, newest first (at most `limit` ≤ 200). */
  verdicts: Array<LabelVerdict>;
};


export type CelestialObjectActivationMapsArgs = {
  modelId?: InputMaybe<Scalars['ID']['input']>;
};


export type CelestialObjectLabelArgs = {
  datasetId: Scalars['ID']['input'];
};


export type CelestialObjectPredictionsArgs = {
  modelId?: InputMaybe<Scalars['ID']['input']>;
};


export type CelestialObjectSplitArgs = {
  datasetId?: InputMaybe<Scalars['ID']['input']>;
};


export type CelestialObjectVerdictsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

export type ClassMetric = {
  __typename?: 'ClassMetric';
  class: ObjectClass;
  f1: Scalars['Float']['output'];
  precision: Scalars['Float']['output'];
  recall: Scalars['Float']['output'];
  support: Scalars['Int']['output'];
};

export type ClassWeightPreset =
  | 'BALANCED'
  | 'PAPER';

/** A cone on the sky: every object within radiusDeg (great-circle distance) of (raDeg, decDeg). */
export type ConeInput = {
  decDeg: Scalars['Float']['input'];
  raDeg: Scalars['Float']['input'];
  radiusDeg: Scalars['Float']['input'];
};

export type CreateApiKeyResult = {
  __typename?: 'CreateApiKeyResult';
  apiKey?: Maybe<ApiKey>;
  error?: Maybe<UserError>;
  /** The key itself, shown only in this response (only its SHA-256 is stored). */
  secret?: Maybe<Scalars['String']['output']>;
};

export type CreateDatasetInput = {
  /** Pixel window [start, end] of the blue arm. */
  blueWindow?: InputMaybe<Array<Scalars['Int']['input']>>;
  name: Scalars['String']['input'];
  /** train:val:test, e.g. [8, 1, 1]. */
  ratios?: InputMaybe<Array<Scalars['Float']['input']>>;
  redWindow?: InputMaybe<Array<Scalars['Int']['input']>>;
  seed?: InputMaybe<Scalars['Int']['input']>;
  source?: InputMaybe<Scalars['String']['input']>;
};

export type CreateDatasetResult = {
  __typename?: 'CreateDatasetResult';
  dataset?: Maybe<Dataset>;
  error?: Maybe<UserError>;
};

export type Cutout = {
  __typename?: 'Cutout';
  /** A PNG of the cutout as a data: URL. */
  dataUrl: Scalars['String']['output'];
  heightPx: Scalars['Int']['output'];
  pixelScaleArcsec?: Maybe<Scalars['Float']['output']>;
  source: Scalars['String']['output'];
  sourceFile?: Maybe<Scalars['String']['output']>;
  widthPx: Scalars['Int']['output'];
};

export type Dataset = {
  __typename?: 'Dataset';
  blueWindow: Array<Scalars['Int']['output']>;
  /** Members whose label differs from the parent version's. */
  corrections: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** Set once a model was trained on it; it never changes after that. */
  lockedAt?: Maybe<Scalars['DateTime']['output']>;
  members: Scalars['Int']['output'];
  name: Scalars['String']['output'];
  /** The version this one was made from with reviewers' corrections (same members, same splits). */
  parent?: Maybe<Dataset>;
  ratios: Array<Scalars['Float']['output']>;
  redWindow: Array<Scalars['Int']['output']>;
  /** The rule that accepted the corrections (null: labels straight from the catalogue). */
  reviewRule?: Maybe<Scalars['String']['output']>;
  seed: Scalars['Int']['output'];
  source?: Maybe<Scalars['String']['output']>;
  splits: Array<SplitCounts>;
  version: Scalars['Int']['output'];
};

export type Evaluation = {
  __typename?: 'Evaluation';
  accuracy: Scalars['Float']['output'];
  backend?: Maybe<Scalars['String']['output']>;
  classOrder: Array<ObjectClass>;
  /** Rows: catalogue class, columns: prediction, in classOrder. */
  confusionMatrix: Array<Array<Scalars['Int']['output']>>;
  /** Expected calibration error with the model's temperature (null: evaluated before calibration existed). */
  ece?: Maybe<Scalars['Float']['output']>;
  /** Expected calibration error of the raw probabilities (temperature 1). */
  eceUncalibrated?: Maybe<Scalars['Float']['output']>;
  evaluatedAt: Scalars['DateTime']['output'];
  inferenceMsPerObject: Scalars['Float']['output'];
  objectCount: Scalars['Int']['output'];
  perClass: Array<ClassMetric>;
  /** Reliability diagram with the model's temperature, 10 bins of confidence. */
  reliability?: Maybe<Array<ReliabilityBin>>;
  /** Reliability diagram of the raw probabilities. */
  reliabilityUncalibrated?: Maybe<Array<ReliabilityBin>>;
  split: Split;
};

export type Job = {
  __typename?: 'Job';
  attempts: Scalars['Int']['output'];
  backend?: Maybe<Scalars['String']['output']>;
  cancelRequested: Scalars['Boolean']['output'];
  device?: Maybe<Scalars['String']['output']>;
  epochs: Array<JobEpoch>;
  error?: Maybe<Scalars['String']['output']>;
  finishedAt?: Maybe<Scalars['DateTime']['output']>;
  id: Scalars['ID']['output'];
  kind: JobKind;
  launchedBy?: Maybe<Scalars['String']['output']>;
  models: Array<Model>;
  params: Scalars['JSON']['output'];
  /** Fraction done, 0..1. */
  progress: Scalars['Float']['output'];
  /** Live detail: phase, epoch, batch, loss, run of a sweep. */
  progressDetail?: Maybe<Scalars['JSON']['output']>;
  queuedAt: Scalars['DateTime']['output'];
  result?: Maybe<Scalars['JSON']['output']>;
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  status: JobStatus;
};

export type JobEpoch = {
  __typename?: 'JobEpoch';
  accuracy: Scalars['Float']['output'];
  durationMs: Scalars['Float']['output'];
  epoch: Scalars['Int']['output'];
  loss: Scalars['Float']['output'];
  valAccuracy?: Maybe<Scalars['Float']['output']>;
  valLoss?: Maybe<Scalars['Float']['output']>;
};

export type JobKind =
  | 'CLASSIFY'
  | 'EVALUATE'
  | 'GRADCAM'
  | 'SWEEP'
  | 'TRAIN';

export type JobResult = {
  __typename?: 'JobResult';
  error?: Maybe<UserError>;
  job?: Maybe<Job>;
};

export type JobStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  | 'SUCCEEDED';

/** A label audit (`macnet audit`): a dataset's labelled objects ranked by how strongly models contradict their catalogue class. */
export type LabelAudit = {
  __typename?: 'LabelAudit';
  contradicted: Scalars['Int']['output'];
  createdAt: Scalars['DateTime']['output'];
  dataset?: Maybe<Dataset>;
  /** The ranking from `offset`, at most `limit` (≤ 500) entries; onlyContradicted: those whose suggested class differs. */
  entries: Array<LabelAuditEntry>;
  /** Cross-fitting folds (each object scored by models that never trained on it); 0: the models as trained. */
  folds: Scalars['Int']['output'];
  id: Scalars['ID']['output'];
  inSample: Scalars['Int']['output'];
  /** The models whose recipes (cross-fitting) or weights (folds = 0) scored the objects; deleted ones are left out. */
  models: Array<Model>;
  objects: Scalars['Int']['output'];
  /** Null when no truth file covers the dataset's objects. */
  truth?: Maybe<LabelAuditTruth>;
};


/** A label audit (`macnet audit`): a dataset's labelled objects ranked by how strongly models contradict their catalogue class. */
export type LabelAuditEntriesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  onlyContradicted?: InputMaybe<Scalars['Boolean']['input']>;
};

/** An audited object at its rank: how strongly the models contradict its catalogue class. */
export type LabelAuditEntry = {
  __typename?: 'LabelAuditEntry';
  catalogueClass: ObjectClass;
  /** A model trained on this object (only in audits of models as trained, folds = 0). */
  inSample: Scalars['Boolean']['output'];
  object: CelestialObject;
  /** Mean probability of the catalogue class over the models (the ranking key: lowest first). */
  pCatalogue: Scalars['Float']['output'];
  probGalaxy: Scalars['Float']['output'];
  probQso: Scalars['Float']['output'];
  probStar: Scalars['Float']['output'];
  /** 1: the catalogue class most strongly contradicted. */
  rank: Scalars['Int']['output'];
  /** The class the models' mean probabilities favour. */
  suggestedClass: ObjectClass;
  /** Every verdict on the entry's object, newest first (at most `limit` ≤ 200). */
  verdicts: Array<LabelVerdict>;
  /** How many of the models predict another class than the catalogue's. */
  votes: Scalars['Int']['output'];
};


/** An audited object at its rank: how strongly the models contradict its catalogue class. */
export type LabelAuditEntryVerdictsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** Wrong catalogue labels (per the ingested truth file) among the first k of a ranking. */
export type LabelAuditRecall = {
  __typename?: 'LabelAuditRecall';
  found: Scalars['Int']['output'];
  k: Scalars['Int']['output'];
  precision: Scalars['Float']['output'];
  recall: Scalars['Float']['output'];
};

/** How an audit scores against a simulated survey's truth file. */
export type LabelAuditTruth = {
  __typename?: 'LabelAuditTruth';
  /** At the audit's top K. */
  atTop: LabelAuditRecall;
  /** At k = 2 × planted. */
  atTwicePlanted: LabelAuditRecall;
  planted: Scalars['Int']['output'];
  /** Audited objects with a truth row, and those whose catalogue class is wrong (planted errors). */
  withTruth: Scalars['Int']['output'];
};

/**
 * One verdict, as recorded: verdicts are never overwritten (a reviewer's latest is their current one, and
 * verdicts by different reviewers stand side by side).
 */
export type LabelVerdict = {
  __typename?: 'LabelVerdict';
  /** The audit the reviewer worked from. */
  auditId?: Maybe<Scalars['ID']['output']>;
  /** The catalogue class the reviewer judged. */
  catalogueClass?: Maybe<ObjectClass>;
  comment?: Maybe<Scalars['String']['output']>;
  /** What the object really is, per the reviewer (CATALOGUE_WRONG only). */
  correctedClass?: Maybe<ObjectClass>;
  createdAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  object: CelestialObject;
  /** The reviewer's name and role when they judged (kept if the user is deleted). */
  reviewer: Scalars['String']['output'];
  reviewerRole: Role;
  verdict: Verdict;
};

export type LaunchClassificationInput = {
  /** Default: the model's own dataset. */
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  modelId: Scalars['ID']['input'];
};

export type LaunchEvaluationInput = {
  modelId: Scalars['ID']['input'];
  split?: InputMaybe<Split>;
};

export type LaunchGradCamInput = {
  modelId: Scalars['ID']['input'];
  /** Objects of the model's dataset (at most 100). */
  objectIds: Array<Scalars['ID']['input']>;
  /** The class to explain (default: each object's predicted class). */
  targetClass?: InputMaybe<ObjectClass>;
};

export type LaunchIntervalSweepInput = {
  architecture?: InputMaybe<Architecture>;
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  compact?: InputMaybe<Scalars['Boolean']['input']>;
  datasetId: Scalars['ID']['input'];
  epochs?: InputMaybe<Scalars['Int']['input']>;
  learningRate?: InputMaybe<Scalars['Float']['input']>;
  patience?: InputMaybe<Scalars['Int']['input']>;
  windowStarts?: InputMaybe<Array<Scalars['Int']['input']>>;
};

export type LaunchTrainingInput = {
  architecture: Architecture;
  /** Train on images turned by a random one of their 8 symmetries (default true; networks with an image input). */
  augment?: InputMaybe<Scalars['Boolean']['input']>;
  batchSize?: InputMaybe<Scalars['Int']['input']>;
  /** Without classWeights: BALANCED (the default: from the training split's class counts) or PAPER (1:3:1). */
  classWeightPreset?: InputMaybe<ClassWeightPreset>;
  /** Loss weight per class in GALAXY, QSO, STAR order (default: classWeightPreset). */
  classWeights?: InputMaybe<Array<Scalars['Float']['input']>>;
  compact?: InputMaybe<Scalars['Boolean']['input']>;
  datasetId: Scalars['ID']['input'];
  epochs?: InputMaybe<Scalars['Int']['input']>;
  /** When training ends, evaluate the model on the test split and store its predictions for its dataset (default true). */
  evaluate?: InputMaybe<Scalars['Boolean']['input']>;
  /** Label smoothing ε in [0, 0.5): the target is 1 − ε on the label and ε/3 on every class (default 0). */
  labelSmoothing?: InputMaybe<Scalars['Float']['input']>;
  learningRate?: InputMaybe<Scalars['Float']['input']>;
  lrSchedule?: InputMaybe<LrSchedule>;
  optimizer?: InputMaybe<Optimizer>;
  patience?: InputMaybe<Scalars['Int']['input']>;
  /** A named recipe: it sets every field above that is not given; recorded with the model. */
  preset?: InputMaybe<TrainingPresetName>;
  seed?: InputMaybe<Scalars['Int']['input']>;
  /** With augment: images also moved by up to this many pixels along each axis (default 0). */
  shiftPx?: InputMaybe<Scalars['Int']['input']>;
  /** Epochs over which the learning rate rises linearly to learningRate (default 0; fewer than epochs). */
  warmupEpochs?: InputMaybe<Scalars['Int']['input']>;
};

export type LoginResult = {
  __typename?: 'LoginResult';
  error?: Maybe<UserError>;
  /** The signed-in user; the session is set as an http-only cookie. */
  user?: Maybe<User>;
};

/** CONSTANT (the default) or COSINE: the learning rate decays over the epochs after the warm-up. */
export type LrSchedule =
  | 'CONSTANT'
  | 'COSINE';

export type Model = {
  __typename?: 'Model';
  architecture: Architecture;
  backend?: Maybe<Scalars['String']['output']>;
  blueWindow?: Maybe<Array<Scalars['Int']['output']>>;
  compact: Scalars['Boolean']['output'];
  createdAt: Scalars['DateTime']['output'];
  dataset?: Maybe<Dataset>;
  device?: Maybe<Scalars['String']['output']>;
  epochsTrained: Scalars['Int']['output'];
  /** The evaluation on a split (default TEST). */
  evaluation?: Maybe<Evaluation>;
  evaluations: Array<Evaluation>;
  hyperParameters: Scalars['JSON']['output'];
  id: Scalars['ID']['output'];
  job?: Maybe<Job>;
  name: Scalars['String']['output'];
  parameterCount: Scalars['Int']['output'];
  redWindow?: Maybe<Array<Scalars['Int']['output']>>;
  /** Temperature scaling fitted on the validation split, applied to stored predictions (null: not fitted yet). */
  temperature?: Maybe<Scalars['Float']['output']>;
  /** What training noticed that the metrics alone do not say (e.g. validation predictions collapsed to one class). */
  warnings: Array<Scalars['String']['output']>;
};


export type ModelEvaluationArgs = {
  split?: InputMaybe<Split>;
};

export type ModelComparison = {
  __typename?: 'ModelComparison';
  /** confusionMatrix(models[i]) − confusionMatrix(models[0]) for each i (null where either is missing). */
  confusionDifferences: Array<Maybe<Array<Array<Scalars['Int']['output']>>>>;
  /** Per model (in the order asked), its evaluation on the split (null if none). */
  evaluations: Array<Maybe<Evaluation>>;
  models: Array<Model>;
  split: Split;
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Admin: a queued job never starts; a running one stops at its next batch. */
  cancelJob: JobResult;
  /** Issues an API key for the caller, or (admin) for the user named. */
  createApiKey: CreateApiKeyResult;
  /** Admin: a stratified, seeded split of the labelled objects (a new version if the name exists). */
  createDataset: CreateDatasetResult;
  /**
   * Admin: the next version of a dataset, same members and splits, labelled with the accepted
   * corrections (an ADMIN's latest verdict, or two agreeing SCIENTISTs).
   */
  createReviewedDataset: CreateDatasetResult;
  /** Admin: queue a classification job. */
  launchClassification: JobResult;
  /** Admin: queue an evaluation job. */
  launchEvaluation: JobResult;
  /** Admin: queue Grad-CAM maps of objects; they are stored with the model and drawn on the object page. */
  launchGradCam: JobResult;
  /** Admin: queue the pixel-interval sweep. */
  launchIntervalSweep: JobResult;
  /** Admin: queue a training job. */
  launchTraining: JobResult;
  /** Starts a dashboard session (http-only, SameSite=Lax cookie). The one operation open without credentials. */
  login: LoginResult;
  /** Ends the caller's session. */
  logout: Scalars['Boolean']['output'];
  /** SCIENTIST or ADMIN: records a verdict on an object's catalogue class (kept beside earlier ones). */
  reviewLabel: ReviewLabelResult;
  /** Revokes a key: one's own, or (admin) anyone's. */
  revokeApiKey: RevokeApiKeyResult;
};


export type MutationCancelJobArgs = {
  id: Scalars['ID']['input'];
};


export type MutationCreateApiKeyArgs = {
  label?: InputMaybe<Scalars['String']['input']>;
  userName?: InputMaybe<Scalars['String']['input']>;
};


export type MutationCreateDatasetArgs = {
  input: CreateDatasetInput;
};


export type MutationCreateReviewedDatasetArgs = {
  datasetId: Scalars['ID']['input'];
};


export type MutationLaunchClassificationArgs = {
  input: LaunchClassificationInput;
};


export type MutationLaunchEvaluationArgs = {
  input: LaunchEvaluationInput;
};


export type MutationLaunchGradCamArgs = {
  input: LaunchGradCamInput;
};


export type MutationLaunchIntervalSweepArgs = {
  input: LaunchIntervalSweepInput;
};


export type MutationLaunchTrainingArgs = {
  input: LaunchTrainingInput;
};


export type MutationLoginArgs = {
  name: Scalars['String']['input'];
  password: Scalars['String']['input'];
};


export type MutationReviewLabelArgs = {
  input: ReviewLabelInput;
};


export type MutationRevokeApiKeyArgs = {
  id: Scalars['ID']['input'];
};

export type ObjectClass =
  | 'GALAXY'
  | 'QSO'
  | 'STAR';

export type ObjectConnection = {
  __typename?: 'ObjectConnection';
  edges: Array<ObjectEdge>;
  pageInfo: PageInfo;
  /** Objects matching the filter: exact up to 10 000 (1 000 disagreements), beyond that PostgreSQL's estimate (see totalCountExact). */
  totalCount: Scalars['Int']['output'];
  /** False when totalCount is PostgreSQL's estimate (more than 10 000 matches, 1 000 disagreements): no page counts millions of rows. */
  totalCountExact: Scalars['Boolean']['output'];
};

/** Objects per ingest source and catalogue class (null: unlabelled). */
export type ObjectCount = {
  __typename?: 'ObjectCount';
  catalogueClass?: Maybe<ObjectClass>;
  count: Scalars['Int']['output'];
  source: Scalars['String']['output'];
};

export type ObjectEdge = {
  __typename?: 'ObjectEdge';
  cursor: Scalars['String']['output'];
  node: CelestialObject;
};

export type ObjectFilter = {
  /** The catalogue's class. */
  catalogueClass?: InputMaybe<ObjectClass>;
  cone?: InputMaybe<ConeInput>;
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  /** Objects whose catalogue class differs from the model's prediction, most confident prediction first. */
  disagreement?: InputMaybe<Scalars['Boolean']['input']>;
  /** With predictedClass or disagreement: the model whose predictions to use. */
  modelId?: InputMaybe<Scalars['ID']['input']>;
  /** Objects the model (modelId) predicted as this class. */
  predictedClass?: InputMaybe<ObjectClass>;
  /** The ingest source name. */
  source?: InputMaybe<Scalars['String']['input']>;
  /** With datasetId: one split. */
  split?: InputMaybe<Split>;
};

export type ObjectStatistics = {
  __typename?: 'ObjectStatistics';
  bySourceAndClass: Array<ObjectCount>;
  total: Scalars['Int']['output'];
};

/** ADAGRAD: the paper's (the default); anything else is recorded with the model. */
export type Optimizer =
  | 'ADAGRAD'
  | 'ADAM';

/** Relay-style page information of a cursor connection. */
export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Prediction = {
  __typename?: 'Prediction';
  /** Whether the prediction equals the catalogue class (null when the object has none). */
  agreesWithCatalogue?: Maybe<Scalars['Boolean']['output']>;
  confidence: Scalars['Float']['output'];
  model: Model;
  predictedClass: ObjectClass;
  probGalaxy: Scalars['Float']['output'];
  probQso: Scalars['Float']['output'];
  probStar: Scalars['Float']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** API keys: every user's for an admin, the caller's own otherwise. */
  apiKeys: Array<ApiKey>;
  /** Metrics side by side and confusion-matrix differences (first model as the reference). */
  compareModels: ModelComparison;
  dataset?: Maybe<Dataset>;
  datasets: Array<Dataset>;
  job?: Maybe<Job>;
  jobs: Array<Job>;
  labelAudit?: Maybe<LabelAudit>;
  /** Label audits, newest first (of one dataset when given), at most 100. */
  labelAudits: Array<LabelAudit>;
  /** Verdicts, newest first: on one object, from one audit and/or by one reviewer (at most `limit` ≤ 500). */
  labelVerdicts: Array<LabelVerdict>;
  /** The caller (null when not signed in; every other field then answers UNAUTHENTICATED). */
  me?: Maybe<User>;
  model?: Maybe<Model>;
  models: Array<Model>;
  /** One object by its id or its LAMOST obsid. */
  object?: Maybe<CelestialObject>;
  /** How many objects there are, per source and catalogue class. */
  objectStatistics: ObjectStatistics;
  /** Objects, filtered; at most 200 per page. */
  objects: ObjectConnection;
  /**
   * The reviewer's queue: an audit's entries by rank after `afterRank`, skipping every object the viewer
   * has judged (at most `limit` ≤ 100).
   */
  reviewQueue: Array<LabelAuditEntry>;
  /** Positions and classes of the objects matching a filter (at most 500 000). */
  skyMap: SkyMap;
  /** The training form's defaults and a run's expected duration; epochs and compact default to the proposed recipe's. */
  trainingPlan: TrainingPlan;
  /** The named training recipes (the training form's preset menu). */
  trainingPresets: Array<TrainingPreset>;
};


export type QueryCompareModelsArgs = {
  ids: Array<Scalars['ID']['input']>;
  split?: InputMaybe<Split>;
};


export type QueryDatasetArgs = {
  id: Scalars['ID']['input'];
};


export type QueryJobArgs = {
  id: Scalars['ID']['input'];
};


export type QueryJobsArgs = {
  first?: InputMaybe<Scalars['Int']['input']>;
  kind?: InputMaybe<JobKind>;
  status?: InputMaybe<JobStatus>;
};


export type QueryLabelAuditArgs = {
  id: Scalars['ID']['input'];
};


export type QueryLabelAuditsArgs = {
  datasetId?: InputMaybe<Scalars['ID']['input']>;
};


export type QueryLabelVerdictsArgs = {
  auditId?: InputMaybe<Scalars['ID']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  objectId?: InputMaybe<Scalars['ID']['input']>;
  reviewer?: InputMaybe<Scalars['String']['input']>;
};


export type QueryModelArgs = {
  id: Scalars['ID']['input'];
};


export type QueryModelsArgs = {
  architecture?: InputMaybe<Architecture>;
};


export type QueryObjectArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
  obsid?: InputMaybe<Scalars['String']['input']>;
};


export type QueryObjectsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  filter?: InputMaybe<ObjectFilter>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryReviewQueueArgs = {
  afterRank?: InputMaybe<Scalars['Int']['input']>;
  auditId: Scalars['ID']['input'];
  limit?: InputMaybe<Scalars['Int']['input']>;
  onlyContradicted?: InputMaybe<Scalars['Boolean']['input']>;
};


export type QuerySkyMapArgs = {
  filter?: InputMaybe<ObjectFilter>;
  limit?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryTrainingPlanArgs = {
  architecture: Architecture;
  compact?: InputMaybe<Scalars['Boolean']['input']>;
  datasetId?: InputMaybe<Scalars['ID']['input']>;
  epochs?: InputMaybe<Scalars['Int']['input']>;
};

/** One bin of a reliability diagram: objects whose top probability lies in [lower, upper). */
export type ReliabilityBin = {
  __typename?: 'ReliabilityBin';
  /** Fraction of the bin's objects predicted right (null: empty bin). */
  accuracy?: Maybe<Scalars['Float']['output']>;
  /** Mean top probability of the bin's objects (null: empty bin). */
  confidence?: Maybe<Scalars['Float']['output']>;
  count: Scalars['Int']['output'];
  lower: Scalars['Float']['output'];
  upper: Scalars['Float']['output'];
};

export type ReviewLabelInput = {
  /** The audit worked from: the object must be one of its entries. */
  auditId?: InputMaybe<Scalars['ID']['input']>;
  /** At most 2000 characters. */
  comment?: InputMaybe<Scalars['String']['input']>;
  /** Required with CATALOGUE_WRONG, refused otherwise. */
  correctedClass?: InputMaybe<ObjectClass>;
  objectId: Scalars['ID']['input'];
  verdict: Verdict;
};

export type ReviewLabelResult = {
  __typename?: 'ReviewLabelResult';
  error?: Maybe<UserError>;
  verdict?: Maybe<LabelVerdict>;
};

export type RevokeApiKeyResult = {
  __typename?: 'RevokeApiKeyResult';
  apiKey?: Maybe<ApiKey>;
  error?: Maybe<UserError>;
};

export type Role =
  | 'ADMIN'
  | 'COLLABORATOR'
  | 'SCIENTIST';

/**
 * Every object matching a filter as packed arrays: a sky plot of 100k objects in one answer.
 * Ordered by id; at most `limit` objects (truncated says whether more matched).
 */
export type SkyMap = {
  __typename?: 'SkyMap';
  /** One letter per object: G (galaxy), Q (QSO), S (star), - (no catalogue class). */
  classCodes: Scalars['String']['output'];
  count: Scalars['Int']['output'];
  /** The objects' ids, little-endian uint32, base64, in the same order. */
  idsBase64: Scalars['String']['output'];
  /** (ra, dec) pairs in degrees, little-endian float32, base64. */
  raDecBase64: Scalars['String']['output'];
  truncated: Scalars['Boolean']['output'];
};

export type Spectrum1D = {
  __typename?: 'Spectrum1D';
  flux: Array<Scalars['Float']['output']>;
  ivar: Array<Scalars['Float']['output']>;
  nPixels: Scalars['Int']['output'];
  sourceFile?: Maybe<Scalars['String']['output']>;
  survey: Scalars['String']['output'];
  wavelengthAngstrom: Array<Scalars['Float']['output']>;
};

export type Split =
  | 'TEST'
  | 'TRAIN'
  | 'VAL';

export type SplitCounts = {
  __typename?: 'SplitCounts';
  galaxy: Scalars['Int']['output'];
  qso: Scalars['Int']['output'];
  split: Split;
  star: Scalars['Int']['output'];
  total: Scalars['Int']['output'];
};

/** One arm's 2D strip (cross-dispersion × dispersion), raw at full length. */
export type Strip = {
  __typename?: 'Strip';
  arm: Arm;
  lengthPx: Scalars['Int']['output'];
  mean: Scalars['Float']['output'];
  sourceFile?: Maybe<Scalars['String']['output']>;
  std: Scalars['Float']['output'];
  /** Row-major float32 little-endian values, base64. */
  valuesBase64: Scalars['String']['output'];
  /** Wavelength (Å) of each pixel along the dispersion axis, lengthPx values. */
  wavelengthAngstrom: Array<Scalars['Float']['output']>;
  widthPx: Scalars['Int']['output'];
};

export type Subscription = {
  __typename?: 'Subscription';
  /** The job each time its status or progress changes, until it finishes. */
  jobProgress: Job;
};


export type SubscriptionJobProgressArgs = {
  id: Scalars['ID']['input'];
};

/**
 * What the training form proposes for the workers' hardware, and how long a run is expected to take,
 * from the epochs this platform's workers have measured.
 */
export type TrainingPlan = {
  __typename?: 'TrainingPlan';
  /** Measured epochs the median is taken over (at most 30). */
  basedOnEpochs: Scalars['Int']['output'];
  batchSize: Scalars['Int']['output'];
  compact: Scalars['Boolean']['output'];
  /** The device of the latest job a worker ran (null: none has run yet). */
  device?: Maybe<Scalars['String']['output']>;
  epochs: Scalars['Int']['output'];
  /** Seconds for all the epochs: an upper bound, since early stopping may end the run sooner (null: unmeasured or no dataset). */
  expectedSeconds?: Maybe<Scalars['Float']['output']>;
  /** True when that device is a GPU: the defaults are then the paper's full-size recipe, else the compact CPU one. */
  gpu: Scalars['Boolean']['output'];
  learningRate: Scalars['Float']['output'];
  /** Median milliseconds per training and validation sample per epoch over the latest measured epochs of this architecture and size (null: none measured yet). */
  msPerSample?: Maybe<Scalars['Float']['output']>;
  patience: Scalars['Int']['output'];
  /** Training and validation samples of the dataset (null without datasetId). */
  samples?: Maybe<Scalars['Int']['output']>;
};

/** What a preset sets; fields a launch gives explicitly win over these. */
export type TrainingPreset = {
  __typename?: 'TrainingPreset';
  /** The architectures it is for (launching another with it is refused). */
  architectures: Array<Architecture>;
  augment: Scalars['Boolean']['output'];
  batchSize: Scalars['Int']['output'];
  compact: Scalars['Boolean']['output'];
  /** Overrides of the model configuration it trains with (JSON; {}: the size's own). */
  config: Scalars['JSON']['output'];
  description: Scalars['String']['output'];
  epochs: Scalars['Int']['output'];
  labelSmoothing: Scalars['Float']['output'];
  learningRate: Scalars['Float']['output'];
  lrSchedule: LrSchedule;
  name: TrainingPresetName;
  optimizer: Optimizer;
  patience: Scalars['Int']['output'];
  shiftPx: Scalars['Int']['output'];
  warmupEpochs: Scalars['Int']['output'];
};

/** A named training recipe (`macnet train --preset`): SDSS_CUTOUTS is sdss-cutouts, the image-only network on real SDSS cutouts (docs/real-image/experiments.md). */
export type TrainingPresetName =
  | 'SDSS_CUTOUTS';

export type User = {
  __typename?: 'User';
  id: Scalars['ID']['output'];
  name: Scalars['String']['output'];
  role: Role;
};

/** A failure the caller can act on, naming the input field when there is one. */
export type UserError = {
  __typename?: 'UserError';
  code: Scalars['String']['output'];
  field?: Maybe<Scalars['String']['output']>;
  message: Scalars['String']['output'];
};

/** A reviewer's verdict on an object's catalogue class. */
export type Verdict =
  | 'CATALOGUE_RIGHT'
  | 'CATALOGUE_WRONG'
  | 'UNSURE';



export type ResolverTypeWrapper<T> = Promise<T> | T;


export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;





/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  ActivationMap: ResolverTypeWrapper<ActivationMapParent>;
  ActivationTarget: ActivationTarget;
  ApiKey: ResolverTypeWrapper<ApiKeyParent>;
  Architecture: Architecture;
  Arm: Arm;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  CelestialObject: ResolverTypeWrapper<CelestialObjectParent>;
  ClassMetric: ResolverTypeWrapper<ClassMetric>;
  ClassWeightPreset: ClassWeightPreset;
  ConeInput: ConeInput;
  CreateApiKeyResult: ResolverTypeWrapper<Omit<CreateApiKeyResult, 'apiKey'> & { apiKey?: Maybe<ResolversTypes['ApiKey']> }>;
  CreateDatasetInput: CreateDatasetInput;
  CreateDatasetResult: ResolverTypeWrapper<Omit<CreateDatasetResult, 'dataset'> & { dataset?: Maybe<ResolversTypes['Dataset']> }>;
  Cutout: ResolverTypeWrapper<CutoutParent>;
  Dataset: ResolverTypeWrapper<DatasetParent>;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  Evaluation: ResolverTypeWrapper<EvaluationParent>;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  JSON: ResolverTypeWrapper<Scalars['JSON']['output']>;
  Job: ResolverTypeWrapper<JobParent>;
  JobEpoch: ResolverTypeWrapper<JobEpoch>;
  JobKind: JobKind;
  JobResult: ResolverTypeWrapper<Omit<JobResult, 'job'> & { job?: Maybe<ResolversTypes['Job']> }>;
  JobStatus: JobStatus;
  LabelAudit: ResolverTypeWrapper<LabelAuditParent>;
  LabelAuditEntry: ResolverTypeWrapper<LabelAuditEntryParent>;
  LabelAuditRecall: ResolverTypeWrapper<LabelAuditRecall>;
  LabelAuditTruth: ResolverTypeWrapper<LabelAuditTruth>;
  LabelVerdict: ResolverTypeWrapper<LabelVerdictParent>;
  LaunchClassificationInput: LaunchClassificationInput;
  LaunchEvaluationInput: LaunchEvaluationInput;
  LaunchGradCamInput: LaunchGradCamInput;
  LaunchIntervalSweepInput: LaunchIntervalSweepInput;
  LaunchTrainingInput: LaunchTrainingInput;
  LoginResult: ResolverTypeWrapper<LoginResult>;
  LrSchedule: LrSchedule;
  Model: ResolverTypeWrapper<ModelParent>;
  ModelComparison: ResolverTypeWrapper<Omit<ModelComparison, 'evaluations' | 'models'> & { evaluations: Array<Maybe<ResolversTypes['Evaluation']>>, models: Array<ResolversTypes['Model']> }>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ObjectClass: ObjectClass;
  ObjectConnection: ResolverTypeWrapper<ObjectPageParent>;
  ObjectCount: ResolverTypeWrapper<ObjectCount>;
  ObjectEdge: ResolverTypeWrapper<Omit<ObjectEdge, 'node'> & { node: ResolversTypes['CelestialObject'] }>;
  ObjectFilter: ObjectFilter;
  ObjectStatistics: ResolverTypeWrapper<ObjectStatistics>;
  Optimizer: Optimizer;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Prediction: ResolverTypeWrapper<PredictionParent>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ReliabilityBin: ResolverTypeWrapper<ReliabilityBin>;
  ReviewLabelInput: ReviewLabelInput;
  ReviewLabelResult: ResolverTypeWrapper<Omit<ReviewLabelResult, 'verdict'> & { verdict?: Maybe<ResolversTypes['LabelVerdict']> }>;
  RevokeApiKeyResult: ResolverTypeWrapper<Omit<RevokeApiKeyResult, 'apiKey'> & { apiKey?: Maybe<ResolversTypes['ApiKey']> }>;
  Role: Role;
  SkyMap: ResolverTypeWrapper<SkyMap>;
  Spectrum1D: ResolverTypeWrapper<Spectrum1DParent>;
  Split: Split;
  SplitCounts: ResolverTypeWrapper<SplitCounts>;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  Strip: ResolverTypeWrapper<StripParent>;
  Subscription: ResolverTypeWrapper<Record<PropertyKey, never>>;
  TrainingPlan: ResolverTypeWrapper<TrainingPlan>;
  TrainingPreset: ResolverTypeWrapper<TrainingPreset>;
  TrainingPresetName: TrainingPresetName;
  User: ResolverTypeWrapper<User>;
  UserError: ResolverTypeWrapper<UserError>;
  Verdict: Verdict;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  ActivationMap: ActivationMapParent;
  ApiKey: ApiKeyParent;
  Boolean: Scalars['Boolean']['output'];
  CelestialObject: CelestialObjectParent;
  ClassMetric: ClassMetric;
  ConeInput: ConeInput;
  CreateApiKeyResult: Omit<CreateApiKeyResult, 'apiKey'> & { apiKey?: Maybe<ResolversParentTypes['ApiKey']> };
  CreateDatasetInput: CreateDatasetInput;
  CreateDatasetResult: Omit<CreateDatasetResult, 'dataset'> & { dataset?: Maybe<ResolversParentTypes['Dataset']> };
  Cutout: CutoutParent;
  Dataset: DatasetParent;
  DateTime: Scalars['DateTime']['output'];
  Evaluation: EvaluationParent;
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  Int: Scalars['Int']['output'];
  JSON: Scalars['JSON']['output'];
  Job: JobParent;
  JobEpoch: JobEpoch;
  JobResult: Omit<JobResult, 'job'> & { job?: Maybe<ResolversParentTypes['Job']> };
  LabelAudit: LabelAuditParent;
  LabelAuditEntry: LabelAuditEntryParent;
  LabelAuditRecall: LabelAuditRecall;
  LabelAuditTruth: LabelAuditTruth;
  LabelVerdict: LabelVerdictParent;
  LaunchClassificationInput: LaunchClassificationInput;
  LaunchEvaluationInput: LaunchEvaluationInput;
  LaunchGradCamInput: LaunchGradCamInput;
  LaunchIntervalSweepInput: LaunchIntervalSweepInput;
  LaunchTrainingInput: LaunchTrainingInput;
  LoginResult: LoginResult;
  Model: ModelParent;
  ModelComparison: Omit<ModelComparison, 'evaluations' | 'models'> & { evaluations: Array<Maybe<ResolversParentTypes['Evaluation']>>, models: Array<ResolversParentTypes['Model']> };
  Mutation: Record<PropertyKey, never>;
  ObjectConnection: ObjectPageParent;
  ObjectCount: ObjectCount;
  ObjectEdge: Omit<ObjectEdge, 'node'> & { node: ResolversParentTypes['CelestialObject'] };
  ObjectFilter: ObjectFilter;
  ObjectStatistics: ObjectStatistics;
  PageInfo: PageInfo;
  Prediction: PredictionParent;
  Query: Record<PropertyKey, never>;
  ReliabilityBin: ReliabilityBin;
  ReviewLabelInput: ReviewLabelInput;
  ReviewLabelResult: Omit<ReviewLabelResult, 'verdict'> & { verdict?: Maybe<ResolversParentTypes['LabelVerdict']> };
  RevokeApiKeyResult: Omit<RevokeApiKeyResult, 'apiKey'> & { apiKey?: Maybe<ResolversParentTypes['ApiKey']> };
  SkyMap: SkyMap;
  Spectrum1D: Spectrum1DParent;
  SplitCounts: SplitCounts;
  String: Scalars['String']['output'];
  Strip: StripParent;
  Subscription: Record<PropertyKey, never>;
  TrainingPlan: TrainingPlan;
  TrainingPreset: TrainingPreset;
  User: User;
  UserError: UserError;
};

export type ActivationMapResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ActivationMap'] = ResolversParentTypes['ActivationMap']> = {
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  shape?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  target?: Resolver<ResolversTypes['ActivationTarget'], ParentType, ContextType>;
  targetClass?: Resolver<ResolversTypes['ObjectClass'], ParentType, ContextType>;
  values?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  wavelengthAngstrom?: Resolver<Maybe<Array<ResolversTypes['Float']>>, ParentType, ContextType>;
};

export type ApiKeyResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ApiKey'] = ResolversParentTypes['ApiKey']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  prefix?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  revokedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type CelestialObjectResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CelestialObject'] = ResolversParentTypes['CelestialObject']> = {
  activationMaps?: Resolver<Array<ResolversTypes['ActivationMap']>, ParentType, ContextType, Partial<CelestialObjectActivationMapsArgs>>;
  catalogueClass?: Resolver<Maybe<ResolversTypes['ObjectClass']>, ParentType, ContextType>;
  cutout?: Resolver<Maybe<ResolversTypes['Cutout']>, ParentType, ContextType>;
  decDeg?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  designation?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  label?: Resolver<Maybe<ResolversTypes['ObjectClass']>, ParentType, ContextType, RequireFields<CelestialObjectLabelArgs, 'datasetId'>>;
  magnitudes?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  missingModalities?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  obsid?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  predictions?: Resolver<Array<ResolversTypes['Prediction']>, ParentType, ContextType, Partial<CelestialObjectPredictionsArgs>>;
  raDeg?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  redshift?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  release?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  sdssObjId?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  spectra1d?: Resolver<Array<ResolversTypes['Spectrum1D']>, ParentType, ContextType>;
  split?: Resolver<Maybe<ResolversTypes['Split']>, ParentType, ContextType, Partial<CelestialObjectSplitArgs>>;
  strips?: Resolver<Array<ResolversTypes['Strip']>, ParentType, ContextType>;
  subclass?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  verdicts?: Resolver<Array<ResolversTypes['LabelVerdict']>, ParentType, ContextType, RequireFields<CelestialObjectVerdictsArgs, 'limit'>>;
};

export type ClassMetricResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ClassMetric'] = ResolversParentTypes['ClassMetric']> = {
  class?: Resolver<ResolversTypes['ObjectClass'], ParentType, ContextType>;
  f1?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  precision?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  recall?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  support?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type CreateApiKeyResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateApiKeyResult'] = ResolversParentTypes['CreateApiKeyResult']> = {
  apiKey?: Resolver<Maybe<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['UserError']>, ParentType, ContextType>;
  secret?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
};

export type CreateDatasetResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['CreateDatasetResult'] = ResolversParentTypes['CreateDatasetResult']> = {
  dataset?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['UserError']>, ParentType, ContextType>;
};

export type CutoutResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Cutout'] = ResolversParentTypes['Cutout']> = {
  dataUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  heightPx?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  pixelScaleArcsec?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  sourceFile?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  widthPx?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type DatasetResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Dataset'] = ResolversParentTypes['Dataset']> = {
  blueWindow?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  corrections?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  lockedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  members?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parent?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType>;
  ratios?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  redWindow?: Resolver<Array<ResolversTypes['Int']>, ParentType, ContextType>;
  reviewRule?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  seed?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  source?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  splits?: Resolver<Array<ResolversTypes['SplitCounts']>, ParentType, ContextType>;
  version?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type EvaluationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Evaluation'] = ResolversParentTypes['Evaluation']> = {
  accuracy?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  backend?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  classOrder?: Resolver<Array<ResolversTypes['ObjectClass']>, ParentType, ContextType>;
  confusionMatrix?: Resolver<Array<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  ece?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  eceUncalibrated?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  evaluatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  inferenceMsPerObject?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  objectCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  perClass?: Resolver<Array<ResolversTypes['ClassMetric']>, ParentType, ContextType>;
  reliability?: Resolver<Maybe<Array<ResolversTypes['ReliabilityBin']>>, ParentType, ContextType>;
  reliabilityUncalibrated?: Resolver<Maybe<Array<ResolversTypes['ReliabilityBin']>>, ParentType, ContextType>;
  split?: Resolver<ResolversTypes['Split'], ParentType, ContextType>;
};

export interface JsonScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSON'], any> {
  name: 'JSON';
}

export type JobResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Job'] = ResolversParentTypes['Job']> = {
  attempts?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  backend?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  cancelRequested?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  device?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  epochs?: Resolver<Array<ResolversTypes['JobEpoch']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  finishedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  kind?: Resolver<ResolversTypes['JobKind'], ParentType, ContextType>;
  launchedBy?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  models?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
  params?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  progress?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  progressDetail?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  queuedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  result?: Resolver<Maybe<ResolversTypes['JSON']>, ParentType, ContextType>;
  startedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>;
  status?: Resolver<ResolversTypes['JobStatus'], ParentType, ContextType>;
};

export type JobEpochResolvers<ContextType = Context, ParentType extends ResolversParentTypes['JobEpoch'] = ResolversParentTypes['JobEpoch']> = {
  accuracy?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  durationMs?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  epoch?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  loss?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  valAccuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  valLoss?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type JobResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['JobResult'] = ResolversParentTypes['JobResult']> = {
  error?: Resolver<Maybe<ResolversTypes['UserError']>, ParentType, ContextType>;
  job?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType>;
};

export type LabelAuditResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LabelAudit'] = ResolversParentTypes['LabelAudit']> = {
  contradicted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dataset?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType>;
  entries?: Resolver<Array<ResolversTypes['LabelAuditEntry']>, ParentType, ContextType, RequireFields<LabelAuditEntriesArgs, 'limit' | 'offset' | 'onlyContradicted'>>;
  folds?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  inSample?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  models?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
  objects?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  truth?: Resolver<Maybe<ResolversTypes['LabelAuditTruth']>, ParentType, ContextType>;
};

export type LabelAuditEntryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LabelAuditEntry'] = ResolversParentTypes['LabelAuditEntry']> = {
  catalogueClass?: Resolver<ResolversTypes['ObjectClass'], ParentType, ContextType>;
  inSample?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  object?: Resolver<ResolversTypes['CelestialObject'], ParentType, ContextType>;
  pCatalogue?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  probGalaxy?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  probQso?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  probStar?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  rank?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  suggestedClass?: Resolver<ResolversTypes['ObjectClass'], ParentType, ContextType>;
  verdicts?: Resolver<Array<ResolversTypes['LabelVerdict']>, ParentType, ContextType, RequireFields<LabelAuditEntryVerdictsArgs, 'limit'>>;
  votes?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type LabelAuditRecallResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LabelAuditRecall'] = ResolversParentTypes['LabelAuditRecall']> = {
  found?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  k?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  precision?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  recall?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type LabelAuditTruthResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LabelAuditTruth'] = ResolversParentTypes['LabelAuditTruth']> = {
  atTop?: Resolver<ResolversTypes['LabelAuditRecall'], ParentType, ContextType>;
  atTwicePlanted?: Resolver<ResolversTypes['LabelAuditRecall'], ParentType, ContextType>;
  planted?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  withTruth?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type LabelVerdictResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LabelVerdict'] = ResolversParentTypes['LabelVerdict']> = {
  auditId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>;
  catalogueClass?: Resolver<Maybe<ResolversTypes['ObjectClass']>, ParentType, ContextType>;
  comment?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  correctedClass?: Resolver<Maybe<ResolversTypes['ObjectClass']>, ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  object?: Resolver<ResolversTypes['CelestialObject'], ParentType, ContextType>;
  reviewer?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  reviewerRole?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
  verdict?: Resolver<ResolversTypes['Verdict'], ParentType, ContextType>;
};

export type LoginResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['LoginResult'] = ResolversParentTypes['LoginResult']> = {
  error?: Resolver<Maybe<ResolversTypes['UserError']>, ParentType, ContextType>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
};

export type ModelResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Model'] = ResolversParentTypes['Model']> = {
  architecture?: Resolver<ResolversTypes['Architecture'], ParentType, ContextType>;
  backend?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  blueWindow?: Resolver<Maybe<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  compact?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  dataset?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType>;
  device?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  epochsTrained?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  evaluation?: Resolver<Maybe<ResolversTypes['Evaluation']>, ParentType, ContextType, RequireFields<ModelEvaluationArgs, 'split'>>;
  evaluations?: Resolver<Array<ResolversTypes['Evaluation']>, ParentType, ContextType>;
  hyperParameters?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  job?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  parameterCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  redWindow?: Resolver<Maybe<Array<ResolversTypes['Int']>>, ParentType, ContextType>;
  temperature?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  warnings?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
};

export type ModelComparisonResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ModelComparison'] = ResolversParentTypes['ModelComparison']> = {
  confusionDifferences?: Resolver<Array<Maybe<Array<Array<ResolversTypes['Int']>>>>, ParentType, ContextType>;
  evaluations?: Resolver<Array<Maybe<ResolversTypes['Evaluation']>>, ParentType, ContextType>;
  models?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType>;
  split?: Resolver<ResolversTypes['Split'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  cancelJob?: Resolver<ResolversTypes['JobResult'], ParentType, ContextType, RequireFields<MutationCancelJobArgs, 'id'>>;
  createApiKey?: Resolver<ResolversTypes['CreateApiKeyResult'], ParentType, ContextType, Partial<MutationCreateApiKeyArgs>>;
  createDataset?: Resolver<ResolversTypes['CreateDatasetResult'], ParentType, ContextType, RequireFields<MutationCreateDatasetArgs, 'input'>>;
  createReviewedDataset?: Resolver<ResolversTypes['CreateDatasetResult'], ParentType, ContextType, RequireFields<MutationCreateReviewedDatasetArgs, 'datasetId'>>;
  launchClassification?: Resolver<ResolversTypes['JobResult'], ParentType, ContextType, RequireFields<MutationLaunchClassificationArgs, 'input'>>;
  launchEvaluation?: Resolver<ResolversTypes['JobResult'], ParentType, ContextType, RequireFields<MutationLaunchEvaluationArgs, 'input'>>;
  launchGradCam?: Resolver<ResolversTypes['JobResult'], ParentType, ContextType, RequireFields<MutationLaunchGradCamArgs, 'input'>>;
  launchIntervalSweep?: Resolver<ResolversTypes['JobResult'], ParentType, ContextType, RequireFields<MutationLaunchIntervalSweepArgs, 'input'>>;
  launchTraining?: Resolver<ResolversTypes['JobResult'], ParentType, ContextType, RequireFields<MutationLaunchTrainingArgs, 'input'>>;
  login?: Resolver<ResolversTypes['LoginResult'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'name' | 'password'>>;
  logout?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  reviewLabel?: Resolver<ResolversTypes['ReviewLabelResult'], ParentType, ContextType, RequireFields<MutationReviewLabelArgs, 'input'>>;
  revokeApiKey?: Resolver<ResolversTypes['RevokeApiKeyResult'], ParentType, ContextType, RequireFields<MutationRevokeApiKeyArgs, 'id'>>;
};

export type ObjectConnectionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ObjectConnection'] = ResolversParentTypes['ObjectConnection']> = {
  edges?: Resolver<Array<ResolversTypes['ObjectEdge']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  totalCountExact?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type ObjectCountResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ObjectCount'] = ResolversParentTypes['ObjectCount']> = {
  catalogueClass?: Resolver<Maybe<ResolversTypes['ObjectClass']>, ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  source?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type ObjectEdgeResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ObjectEdge'] = ResolversParentTypes['ObjectEdge']> = {
  cursor?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  node?: Resolver<ResolversTypes['CelestialObject'], ParentType, ContextType>;
};

export type ObjectStatisticsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ObjectStatistics'] = ResolversParentTypes['ObjectStatistics']> = {
  bySourceAndClass?: Resolver<Array<ResolversTypes['ObjectCount']>, ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type PageInfoResolvers<ContextType = Context, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type PredictionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Prediction'] = ResolversParentTypes['Prediction']> = {
  agreesWithCatalogue?: Resolver<Maybe<ResolversTypes['Boolean']>, ParentType, ContextType>;
  confidence?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  model?: Resolver<ResolversTypes['Model'], ParentType, ContextType>;
  predictedClass?: Resolver<ResolversTypes['ObjectClass'], ParentType, ContextType>;
  probGalaxy?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  probQso?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  probStar?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  apiKeys?: Resolver<Array<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  compareModels?: Resolver<ResolversTypes['ModelComparison'], ParentType, ContextType, RequireFields<QueryCompareModelsArgs, 'ids' | 'split'>>;
  dataset?: Resolver<Maybe<ResolversTypes['Dataset']>, ParentType, ContextType, RequireFields<QueryDatasetArgs, 'id'>>;
  datasets?: Resolver<Array<ResolversTypes['Dataset']>, ParentType, ContextType>;
  job?: Resolver<Maybe<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<QueryJobArgs, 'id'>>;
  jobs?: Resolver<Array<ResolversTypes['Job']>, ParentType, ContextType, RequireFields<QueryJobsArgs, 'first'>>;
  labelAudit?: Resolver<Maybe<ResolversTypes['LabelAudit']>, ParentType, ContextType, RequireFields<QueryLabelAuditArgs, 'id'>>;
  labelAudits?: Resolver<Array<ResolversTypes['LabelAudit']>, ParentType, ContextType, Partial<QueryLabelAuditsArgs>>;
  labelVerdicts?: Resolver<Array<ResolversTypes['LabelVerdict']>, ParentType, ContextType, RequireFields<QueryLabelVerdictsArgs, 'limit'>>;
  me?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType>;
  model?: Resolver<Maybe<ResolversTypes['Model']>, ParentType, ContextType, RequireFields<QueryModelArgs, 'id'>>;
  models?: Resolver<Array<ResolversTypes['Model']>, ParentType, ContextType, Partial<QueryModelsArgs>>;
  object?: Resolver<Maybe<ResolversTypes['CelestialObject']>, ParentType, ContextType, Partial<QueryObjectArgs>>;
  objectStatistics?: Resolver<ResolversTypes['ObjectStatistics'], ParentType, ContextType>;
  objects?: Resolver<ResolversTypes['ObjectConnection'], ParentType, ContextType, RequireFields<QueryObjectsArgs, 'first'>>;
  reviewQueue?: Resolver<Array<ResolversTypes['LabelAuditEntry']>, ParentType, ContextType, RequireFields<QueryReviewQueueArgs, 'afterRank' | 'auditId' | 'limit' | 'onlyContradicted'>>;
  skyMap?: Resolver<ResolversTypes['SkyMap'], ParentType, ContextType, RequireFields<QuerySkyMapArgs, 'limit'>>;
  trainingPlan?: Resolver<ResolversTypes['TrainingPlan'], ParentType, ContextType, RequireFields<QueryTrainingPlanArgs, 'architecture'>>;
  trainingPresets?: Resolver<Array<ResolversTypes['TrainingPreset']>, ParentType, ContextType>;
};

export type ReliabilityBinResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ReliabilityBin'] = ResolversParentTypes['ReliabilityBin']> = {
  accuracy?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  confidence?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  lower?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  upper?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
};

export type ReviewLabelResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['ReviewLabelResult'] = ResolversParentTypes['ReviewLabelResult']> = {
  error?: Resolver<Maybe<ResolversTypes['UserError']>, ParentType, ContextType>;
  verdict?: Resolver<Maybe<ResolversTypes['LabelVerdict']>, ParentType, ContextType>;
};

export type RevokeApiKeyResultResolvers<ContextType = Context, ParentType extends ResolversParentTypes['RevokeApiKeyResult'] = ResolversParentTypes['RevokeApiKeyResult']> = {
  apiKey?: Resolver<Maybe<ResolversTypes['ApiKey']>, ParentType, ContextType>;
  error?: Resolver<Maybe<ResolversTypes['UserError']>, ParentType, ContextType>;
};

export type SkyMapResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SkyMap'] = ResolversParentTypes['SkyMap']> = {
  classCodes?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  count?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  idsBase64?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  raDecBase64?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  truncated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type Spectrum1DResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Spectrum1D'] = ResolversParentTypes['Spectrum1D']> = {
  flux?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  ivar?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  nPixels?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  sourceFile?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  survey?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  wavelengthAngstrom?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
};

export type SplitCountsResolvers<ContextType = Context, ParentType extends ResolversParentTypes['SplitCounts'] = ResolversParentTypes['SplitCounts']> = {
  galaxy?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  qso?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  split?: Resolver<ResolversTypes['Split'], ParentType, ContextType>;
  star?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type StripResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Strip'] = ResolversParentTypes['Strip']> = {
  arm?: Resolver<ResolversTypes['Arm'], ParentType, ContextType>;
  lengthPx?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  mean?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  sourceFile?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  std?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  valuesBase64?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  wavelengthAngstrom?: Resolver<Array<ResolversTypes['Float']>, ParentType, ContextType>;
  widthPx?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type SubscriptionResolvers<ContextType = Context, ParentType extends ResolversParentTypes['Subscription'] = ResolversParentTypes['Subscription']> = {
  jobProgress?: SubscriptionResolver<ResolversTypes['Job'], "jobProgress", ParentType, ContextType, RequireFields<SubscriptionJobProgressArgs, 'id'>>;
};

export type TrainingPlanResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TrainingPlan'] = ResolversParentTypes['TrainingPlan']> = {
  basedOnEpochs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  batchSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  compact?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  device?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  epochs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  expectedSeconds?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  gpu?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  learningRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  msPerSample?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  patience?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  samples?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>;
};

export type TrainingPresetResolvers<ContextType = Context, ParentType extends ResolversParentTypes['TrainingPreset'] = ResolversParentTypes['TrainingPreset']> = {
  architectures?: Resolver<Array<ResolversTypes['Architecture']>, ParentType, ContextType>;
  augment?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  batchSize?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  compact?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  config?: Resolver<ResolversTypes['JSON'], ParentType, ContextType>;
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  epochs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  labelSmoothing?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  learningRate?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  lrSchedule?: Resolver<ResolversTypes['LrSchedule'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['TrainingPresetName'], ParentType, ContextType>;
  optimizer?: Resolver<ResolversTypes['Optimizer'], ParentType, ContextType>;
  patience?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  shiftPx?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  warmupEpochs?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type UserResolvers<ContextType = Context, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User']> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['Role'], ParentType, ContextType>;
};

export type UserErrorResolvers<ContextType = Context, ParentType extends ResolversParentTypes['UserError'] = ResolversParentTypes['UserError']> = {
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  field?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type Resolvers<ContextType = Context> = {
  ActivationMap?: ActivationMapResolvers<ContextType>;
  ApiKey?: ApiKeyResolvers<ContextType>;
  CelestialObject?: CelestialObjectResolvers<ContextType>;
  ClassMetric?: ClassMetricResolvers<ContextType>;
  CreateApiKeyResult?: CreateApiKeyResultResolvers<ContextType>;
  CreateDatasetResult?: CreateDatasetResultResolvers<ContextType>;
  Cutout?: CutoutResolvers<ContextType>;
  Dataset?: DatasetResolvers<ContextType>;
  DateTime?: GraphQLScalarType;
  Evaluation?: EvaluationResolvers<ContextType>;
  JSON?: GraphQLScalarType;
  Job?: JobResolvers<ContextType>;
  JobEpoch?: JobEpochResolvers<ContextType>;
  JobResult?: JobResultResolvers<ContextType>;
  LabelAudit?: LabelAuditResolvers<ContextType>;
  LabelAuditEntry?: LabelAuditEntryResolvers<ContextType>;
  LabelAuditRecall?: LabelAuditRecallResolvers<ContextType>;
  LabelAuditTruth?: LabelAuditTruthResolvers<ContextType>;
  LabelVerdict?: LabelVerdictResolvers<ContextType>;
  LoginResult?: LoginResultResolvers<ContextType>;
  Model?: ModelResolvers<ContextType>;
  ModelComparison?: ModelComparisonResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  ObjectConnection?: ObjectConnectionResolvers<ContextType>;
  ObjectCount?: ObjectCountResolvers<ContextType>;
  ObjectEdge?: ObjectEdgeResolvers<ContextType>;
  ObjectStatistics?: ObjectStatisticsResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Prediction?: PredictionResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  ReliabilityBin?: ReliabilityBinResolvers<ContextType>;
  ReviewLabelResult?: ReviewLabelResultResolvers<ContextType>;
  RevokeApiKeyResult?: RevokeApiKeyResultResolvers<ContextType>;
  SkyMap?: SkyMapResolvers<ContextType>;
  Spectrum1D?: Spectrum1DResolvers<ContextType>;
  SplitCounts?: SplitCountsResolvers<ContextType>;
  Strip?: StripResolvers<ContextType>;
  Subscription?: SubscriptionResolvers<ContextType>;
  TrainingPlan?: TrainingPlanResolvers<ContextType>;
  TrainingPreset?: TrainingPresetResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  UserError?: UserErrorResolvers<ContextType>;
};

