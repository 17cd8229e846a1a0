/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query DatasetList {\n    datasets {\n      id\n      name\n      version\n      seed\n      ratios\n      blueWindow\n      redWindow\n      source\n      members\n      createdAt\n      lockedAt\n      splits {\n        split\n        galaxy\n        qso\n        star\n        total\n      }\n    }\n  }\n": typeof types.DatasetListDocument,
    "\n  mutation CreateDataset($input: CreateDatasetInput!) {\n    createDataset(input: $input) {\n      dataset {\n        id\n        name\n        version\n      }\n      error {\n        code\n        field\n        message\n      }\n    }\n  }\n": typeof types.CreateDatasetDocument,
    "\n  query JobPage($id: ID!) {\n    job(id: $id) {\n      ...JobLive\n      result\n      models {\n        id\n        name\n        parameterCount\n        warnings\n        evaluation {\n          ...EvaluationFields\n          objectCount\n        }\n      }\n    }\n  }\n": typeof types.JobPageDocument,
    "\n  subscription JobProgress($id: ID!) {\n    jobProgress(id: $id) {\n      ...JobLive\n    }\n  }\n": typeof types.JobProgressDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      job {\n        id\n        status\n        cancelRequested\n      }\n      error {\n        message\n      }\n    }\n  }\n": typeof types.CancelJobDocument,
    "\n  mutation LaunchEvaluation($input: LaunchEvaluationInput!) {\n    launchEvaluation(input: $input) {\n      job {\n        id\n      }\n      error {\n        message\n      }\n    }\n  }\n": typeof types.LaunchEvaluationDocument,
    "\n  query JobList {\n    jobs(first: 100) {\n      ...JobRow\n    }\n    datasets {\n      id\n      name\n      version\n      members\n    }\n  }\n": typeof types.JobListDocument,
    "\n  mutation LaunchTraining($input: LaunchTrainingInput!) {\n    launchTraining(input: $input) {\n      job {\n        id\n      }\n      error {\n        code\n        field\n        message\n      }\n    }\n  }\n": typeof types.LaunchTrainingDocument,
    "\n  mutation Login($name: String!, $password: String!) {\n    login(name: $name, password: $password) {\n      user {\n        id\n        name\n        role\n      }\n      error {\n        code\n        message\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  query ModelList {\n    models {\n      id\n      name\n      architecture\n      compact\n      createdAt\n      epochsTrained\n      warnings\n      dataset {\n        id\n        name\n        version\n      }\n      evaluation {\n        accuracy\n        objectCount\n      }\n    }\n  }\n": typeof types.ModelListDocument,
    "\n  query CompareModels($ids: [ID!]!) {\n    compareModels(ids: $ids) {\n      split\n      models {\n        id\n        name\n        architecture\n        compact\n        parameterCount\n        backend\n        device\n        temperature\n        dataset {\n          id\n        }\n      }\n      evaluations {\n        ...EvaluationFields\n        inferenceMsPerObject\n        objectCount\n        backend\n        ece\n        eceUncalibrated\n        reliability {\n          lower\n          upper\n          count\n          confidence\n          accuracy\n        }\n        reliabilityUncalibrated {\n          lower\n          upper\n          count\n          confidence\n          accuracy\n        }\n      }\n      confusionDifferences\n    }\n  }\n": typeof types.CompareModelsDocument,
    "\n  query ObjectPage($id: ID!) {\n    object(id: $id) {\n      id\n      obsid\n      designation\n      sdssObjId\n      raDeg\n      decDeg\n      catalogueClass\n      subclass\n      redshift\n      source\n      release\n      magnitudes\n      missingModalities\n      strips {\n        ...StripFields\n        sourceFile\n      }\n      spectra1d {\n        survey\n        nPixels\n        wavelengthAngstrom\n        flux\n        ivar\n        sourceFile\n      }\n      cutout {\n        dataUrl\n        widthPx\n        heightPx\n        pixelScaleArcsec\n        source\n      }\n      predictions {\n        model {\n          id\n          name\n          architecture\n        }\n        predictedClass\n        confidence\n        probGalaxy\n        probQso\n        probStar\n        agreesWithCatalogue\n      }\n      activationMaps {\n        model {\n          id\n          name\n        }\n        target\n        targetClass\n        shape\n        values\n        wavelengthAngstrom\n      }\n    }\n  }\n": typeof types.ObjectPageDocument,
    "\n  mutation LaunchGradCam($input: LaunchGradCamInput!) {\n    launchGradCam(input: $input) {\n      job {\n        id\n        status\n      }\n      error {\n        message\n      }\n    }\n  }\n": typeof types.LaunchGradCamDocument,
    "\n  subscription GradCamJob($id: ID!) {\n    jobProgress(id: $id) {\n      id\n      status\n      progress\n      error\n    }\n  }\n": typeof types.GradCamJobDocument,
    "\n  query FilterChoices {\n    models {\n      id\n      name\n    }\n    datasets {\n      id\n      name\n      version\n    }\n    objectStatistics {\n      bySourceAndClass {\n        source\n      }\n    }\n  }\n": typeof types.FilterChoicesDocument,
    "\n  query ObjectsPage($filter: ObjectFilter, $first: Int, $after: String, $modelId: ID) {\n    objects(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          obsid\n          designation\n          catalogueClass\n          raDeg\n          decDeg\n          redshift\n          source\n          missingModalities\n          predictions(modelId: $modelId) {\n            predictedClass\n            confidence\n          }\n        }\n      }\n    }\n  }\n": typeof types.ObjectsPageDocument,
    "\n  query SkyMap($filter: ObjectFilter) {\n    skyMap(filter: $filter, limit: 100000) {\n      count\n      truncated\n      raDecBase64\n      idsBase64\n      classCodes\n    }\n  }\n": typeof types.SkyMapDocument,
    "\n  query Overview {\n    objectStatistics {\n      total\n      bySourceAndClass {\n        source\n        catalogueClass\n        count\n      }\n    }\n    jobs(first: 8) {\n      ...JobRow\n    }\n    models {\n      id\n      name\n      architecture\n      compact\n      parameterCount\n      createdAt\n      evaluation {\n        accuracy\n        objectCount\n        inferenceMsPerObject\n      }\n    }\n  }\n": typeof types.OverviewDocument,
    "\n  query TriageModels {\n    models {\n      id\n      name\n      dataset {\n        id\n      }\n      evaluation {\n        accuracy\n      }\n    }\n  }\n": typeof types.TriageModelsDocument,
    "\n  query Disagreements($modelId: ID!, $datasetId: ID, $first: Int, $after: String) {\n    objects(filter: { modelId: $modelId, disagreement: true }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          designation\n          obsid\n          catalogueClass\n          redshift\n          split(datasetId: $datasetId)\n          strips {\n            ...StripFields\n          }\n          cutout {\n            dataUrl\n            widthPx\n            heightPx\n          }\n          predictions(modelId: $modelId) {\n            predictedClass\n            confidence\n            probGalaxy\n            probQso\n            probStar\n          }\n        }\n      }\n    }\n  }\n": typeof types.DisagreementsDocument,
    "\n  query Me {\n    me {\n      id\n      name\n      role\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  fragment JobRow on Job {\n    id\n    kind\n    status\n    progress\n    queuedAt\n    finishedAt\n    launchedBy\n    params\n  }\n": typeof types.JobRowFragmentDoc,
    "\n  fragment JobLive on Job {\n    ...JobRow\n    progressDetail\n    error\n    backend\n    device\n    attempts\n    cancelRequested\n    startedAt\n    epochs {\n      epoch\n      loss\n      accuracy\n      valLoss\n      valAccuracy\n      durationMs\n    }\n  }\n": typeof types.JobLiveFragmentDoc,
    "\n  fragment EvaluationFields on Evaluation {\n    accuracy\n    classOrder\n    confusionMatrix\n    perClass {\n      class\n      precision\n      recall\n      f1\n      support\n    }\n  }\n": typeof types.EvaluationFieldsFragmentDoc,
    "\n  fragment StripFields on Strip {\n    arm\n    widthPx\n    lengthPx\n    valuesBase64\n    wavelengthAngstrom\n  }\n": typeof types.StripFieldsFragmentDoc,
};
const documents: Documents = {
    "\n  query DatasetList {\n    datasets {\n      id\n      name\n      version\n      seed\n      ratios\n      blueWindow\n      redWindow\n      source\n      members\n      createdAt\n      lockedAt\n      splits {\n        split\n        galaxy\n        qso\n        star\n        total\n      }\n    }\n  }\n": types.DatasetListDocument,
    "\n  mutation CreateDataset($input: CreateDatasetInput!) {\n    createDataset(input: $input) {\n      dataset {\n        id\n        name\n        version\n      }\n      error {\n        code\n        field\n        message\n      }\n    }\n  }\n": types.CreateDatasetDocument,
    "\n  query JobPage($id: ID!) {\n    job(id: $id) {\n      ...JobLive\n      result\n      models {\n        id\n        name\n        parameterCount\n        warnings\n        evaluation {\n          ...EvaluationFields\n          objectCount\n        }\n      }\n    }\n  }\n": types.JobPageDocument,
    "\n  subscription JobProgress($id: ID!) {\n    jobProgress(id: $id) {\n      ...JobLive\n    }\n  }\n": types.JobProgressDocument,
    "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      job {\n        id\n        status\n        cancelRequested\n      }\n      error {\n        message\n      }\n    }\n  }\n": types.CancelJobDocument,
    "\n  mutation LaunchEvaluation($input: LaunchEvaluationInput!) {\n    launchEvaluation(input: $input) {\n      job {\n        id\n      }\n      error {\n        message\n      }\n    }\n  }\n": types.LaunchEvaluationDocument,
    "\n  query JobList {\n    jobs(first: 100) {\n      ...JobRow\n    }\n    datasets {\n      id\n      name\n      version\n      members\n    }\n  }\n": types.JobListDocument,
    "\n  mutation LaunchTraining($input: LaunchTrainingInput!) {\n    launchTraining(input: $input) {\n      job {\n        id\n      }\n      error {\n        code\n        field\n        message\n      }\n    }\n  }\n": types.LaunchTrainingDocument,
    "\n  mutation Login($name: String!, $password: String!) {\n    login(name: $name, password: $password) {\n      user {\n        id\n        name\n        role\n      }\n      error {\n        code\n        message\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  query ModelList {\n    models {\n      id\n      name\n      architecture\n      compact\n      createdAt\n      epochsTrained\n      warnings\n      dataset {\n        id\n        name\n        version\n      }\n      evaluation {\n        accuracy\n        objectCount\n      }\n    }\n  }\n": types.ModelListDocument,
    "\n  query CompareModels($ids: [ID!]!) {\n    compareModels(ids: $ids) {\n      split\n      models {\n        id\n        name\n        architecture\n        compact\n        parameterCount\n        backend\n        device\n        temperature\n        dataset {\n          id\n        }\n      }\n      evaluations {\n        ...EvaluationFields\n        inferenceMsPerObject\n        objectCount\n        backend\n        ece\n        eceUncalibrated\n        reliability {\n          lower\n          upper\n          count\n          confidence\n          accuracy\n        }\n        reliabilityUncalibrated {\n          lower\n          upper\n          count\n          confidence\n          accuracy\n        }\n      }\n      confusionDifferences\n    }\n  }\n": types.CompareModelsDocument,
    "\n  query ObjectPage($id: ID!) {\n    object(id: $id) {\n      id\n      obsid\n      designation\n      sdssObjId\n      raDeg\n      decDeg\n      catalogueClass\n      subclass\n      redshift\n      source\n      release\n      magnitudes\n      missingModalities\n      strips {\n        ...StripFields\n        sourceFile\n      }\n      spectra1d {\n        survey\n        nPixels\n        wavelengthAngstrom\n        flux\n        ivar\n        sourceFile\n      }\n      cutout {\n        dataUrl\n        widthPx\n        heightPx\n        pixelScaleArcsec\n        source\n      }\n      predictions {\n        model {\n          id\n          name\n          architecture\n        }\n        predictedClass\n        confidence\n        probGalaxy\n        probQso\n        probStar\n        agreesWithCatalogue\n      }\n      activationMaps {\n        model {\n          id\n          name\n        }\n        target\n        targetClass\n        shape\n        values\n        wavelengthAngstrom\n      }\n    }\n  }\n": types.ObjectPageDocument,
    "\n  mutation LaunchGradCam($input: LaunchGradCamInput!) {\n    launchGradCam(input: $input) {\n      job {\n        id\n        status\n      }\n      error {\n        message\n      }\n    }\n  }\n": types.LaunchGradCamDocument,
    "\n  subscription GradCamJob($id: ID!) {\n    jobProgress(id: $id) {\n      id\n      status\n      progress\n      error\n    }\n  }\n": types.GradCamJobDocument,
    "\n  query FilterChoices {\n    models {\n      id\n      name\n    }\n    datasets {\n      id\n      name\n      version\n    }\n    objectStatistics {\n      bySourceAndClass {\n        source\n      }\n    }\n  }\n": types.FilterChoicesDocument,
    "\n  query ObjectsPage($filter: ObjectFilter, $first: Int, $after: String, $modelId: ID) {\n    objects(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          obsid\n          designation\n          catalogueClass\n          raDeg\n          decDeg\n          redshift\n          source\n          missingModalities\n          predictions(modelId: $modelId) {\n            predictedClass\n            confidence\n          }\n        }\n      }\n    }\n  }\n": types.ObjectsPageDocument,
    "\n  query SkyMap($filter: ObjectFilter) {\n    skyMap(filter: $filter, limit: 100000) {\n      count\n      truncated\n      raDecBase64\n      idsBase64\n      classCodes\n    }\n  }\n": types.SkyMapDocument,
    "\n  query Overview {\n    objectStatistics {\n      total\n      bySourceAndClass {\n        source\n        catalogueClass\n        count\n      }\n    }\n    jobs(first: 8) {\n      ...JobRow\n    }\n    models {\n      id\n      name\n      architecture\n      compact\n      parameterCount\n      createdAt\n      evaluation {\n        accuracy\n        objectCount\n        inferenceMsPerObject\n      }\n    }\n  }\n": types.OverviewDocument,
    "\n  query TriageModels {\n    models {\n      id\n      name\n      dataset {\n        id\n      }\n      evaluation {\n        accuracy\n      }\n    }\n  }\n": types.TriageModelsDocument,
    "\n  query Disagreements($modelId: ID!, $datasetId: ID, $first: Int, $after: String) {\n    objects(filter: { modelId: $modelId, disagreement: true }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          designation\n          obsid\n          catalogueClass\n          redshift\n          split(datasetId: $datasetId)\n          strips {\n            ...StripFields\n          }\n          cutout {\n            dataUrl\n            widthPx\n            heightPx\n          }\n          predictions(modelId: $modelId) {\n            predictedClass\n            confidence\n            probGalaxy\n            probQso\n            probStar\n          }\n        }\n      }\n    }\n  }\n": types.DisagreementsDocument,
    "\n  query Me {\n    me {\n      id\n      name\n      role\n    }\n  }\n": types.MeDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  fragment JobRow on Job {\n    id\n    kind\n    status\n    progress\n    queuedAt\n    finishedAt\n    launchedBy\n    params\n  }\n": types.JobRowFragmentDoc,
    "\n  fragment JobLive on Job {\n    ...JobRow\n    progressDetail\n    error\n    backend\n    device\n    attempts\n    cancelRequested\n    startedAt\n    epochs {\n      epoch\n      loss\n      accuracy\n      valLoss\n      valAccuracy\n      durationMs\n    }\n  }\n": types.JobLiveFragmentDoc,
    "\n  fragment EvaluationFields on Evaluation {\n    accuracy\n    classOrder\n    confusionMatrix\n    perClass {\n      class\n      precision\n      recall\n      f1\n      support\n    }\n  }\n": types.EvaluationFieldsFragmentDoc,
    "\n  fragment StripFields on Strip {\n    arm\n    widthPx\n    lengthPx\n    valuesBase64\n    wavelengthAngstrom\n  }\n": types.StripFieldsFragmentDoc,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DatasetList {\n    datasets {\n      id\n      name\n      version\n      seed\n      ratios\n      blueWindow\n      redWindow\n      source\n      members\n      createdAt\n      lockedAt\n      splits {\n        split\n        galaxy\n        qso\n        star\n        total\n      }\n    }\n  }\n"): (typeof documents)["\n  query DatasetList {\n    datasets {\n      id\n      name\n      version\n      seed\n      ratios\n      blueWindow\n      redWindow\n      source\n      members\n      createdAt\n      lockedAt\n      splits {\n        split\n        galaxy\n        qso\n        star\n        total\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDataset($input: CreateDatasetInput!) {\n    createDataset(input: $input) {\n      dataset {\n        id\n        name\n        version\n      }\n      error {\n        code\n        field\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateDataset($input: CreateDatasetInput!) {\n    createDataset(input: $input) {\n      dataset {\n        id\n        name\n        version\n      }\n      error {\n        code\n        field\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobPage($id: ID!) {\n    job(id: $id) {\n      ...JobLive\n      result\n      models {\n        id\n        name\n        parameterCount\n        warnings\n        evaluation {\n          ...EvaluationFields\n          objectCount\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query JobPage($id: ID!) {\n    job(id: $id) {\n      ...JobLive\n      result\n      models {\n        id\n        name\n        parameterCount\n        warnings\n        evaluation {\n          ...EvaluationFields\n          objectCount\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription JobProgress($id: ID!) {\n    jobProgress(id: $id) {\n      ...JobLive\n    }\n  }\n"): (typeof documents)["\n  subscription JobProgress($id: ID!) {\n    jobProgress(id: $id) {\n      ...JobLive\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      job {\n        id\n        status\n        cancelRequested\n      }\n      error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelJob($id: ID!) {\n    cancelJob(id: $id) {\n      job {\n        id\n        status\n        cancelRequested\n      }\n      error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchEvaluation($input: LaunchEvaluationInput!) {\n    launchEvaluation(input: $input) {\n      job {\n        id\n      }\n      error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LaunchEvaluation($input: LaunchEvaluationInput!) {\n    launchEvaluation(input: $input) {\n      job {\n        id\n      }\n      error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query JobList {\n    jobs(first: 100) {\n      ...JobRow\n    }\n    datasets {\n      id\n      name\n      version\n      members\n    }\n  }\n"): (typeof documents)["\n  query JobList {\n    jobs(first: 100) {\n      ...JobRow\n    }\n    datasets {\n      id\n      name\n      version\n      members\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchTraining($input: LaunchTrainingInput!) {\n    launchTraining(input: $input) {\n      job {\n        id\n      }\n      error {\n        code\n        field\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LaunchTraining($input: LaunchTrainingInput!) {\n    launchTraining(input: $input) {\n      job {\n        id\n      }\n      error {\n        code\n        field\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($name: String!, $password: String!) {\n    login(name: $name, password: $password) {\n      user {\n        id\n        name\n        role\n      }\n      error {\n        code\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($name: String!, $password: String!) {\n    login(name: $name, password: $password) {\n      user {\n        id\n        name\n        role\n      }\n      error {\n        code\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelList {\n    models {\n      id\n      name\n      architecture\n      compact\n      createdAt\n      epochsTrained\n      warnings\n      dataset {\n        id\n        name\n        version\n      }\n      evaluation {\n        accuracy\n        objectCount\n      }\n    }\n  }\n"): (typeof documents)["\n  query ModelList {\n    models {\n      id\n      name\n      architecture\n      compact\n      createdAt\n      epochsTrained\n      warnings\n      dataset {\n        id\n        name\n        version\n      }\n      evaluation {\n        accuracy\n        objectCount\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CompareModels($ids: [ID!]!) {\n    compareModels(ids: $ids) {\n      split\n      models {\n        id\n        name\n        architecture\n        compact\n        parameterCount\n        backend\n        device\n        temperature\n        dataset {\n          id\n        }\n      }\n      evaluations {\n        ...EvaluationFields\n        inferenceMsPerObject\n        objectCount\n        backend\n        ece\n        eceUncalibrated\n        reliability {\n          lower\n          upper\n          count\n          confidence\n          accuracy\n        }\n        reliabilityUncalibrated {\n          lower\n          upper\n          count\n          confidence\n          accuracy\n        }\n      }\n      confusionDifferences\n    }\n  }\n"): (typeof documents)["\n  query CompareModels($ids: [ID!]!) {\n    compareModels(ids: $ids) {\n      split\n      models {\n        id\n        name\n        architecture\n        compact\n        parameterCount\n        backend\n        device\n        temperature\n        dataset {\n          id\n        }\n      }\n      evaluations {\n        ...EvaluationFields\n        inferenceMsPerObject\n        objectCount\n        backend\n        ece\n        eceUncalibrated\n        reliability {\n          lower\n          upper\n          count\n          confidence\n          accuracy\n        }\n        reliabilityUncalibrated {\n          lower\n          upper\n          count\n          confidence\n          accuracy\n        }\n      }\n      confusionDifferences\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ObjectPage($id: ID!) {\n    object(id: $id) {\n      id\n      obsid\n      designation\n      sdssObjId\n      raDeg\n      decDeg\n      catalogueClass\n      subclass\n      redshift\n      source\n      release\n      magnitudes\n      missingModalities\n      strips {\n        ...StripFields\n        sourceFile\n      }\n      spectra1d {\n        survey\n        nPixels\n        wavelengthAngstrom\n        flux\n        ivar\n        sourceFile\n      }\n      cutout {\n        dataUrl\n        widthPx\n        heightPx\n        pixelScaleArcsec\n        source\n      }\n      predictions {\n        model {\n          id\n          name\n          architecture\n        }\n        predictedClass\n        confidence\n        probGalaxy\n        probQso\n        probStar\n        agreesWithCatalogue\n      }\n      activationMaps {\n        model {\n          id\n          name\n        }\n        target\n        targetClass\n        shape\n        values\n        wavelengthAngstrom\n      }\n    }\n  }\n"): (typeof documents)["\n  query ObjectPage($id: ID!) {\n    object(id: $id) {\n      id\n      obsid\n      designation\n      sdssObjId\n      raDeg\n      decDeg\n      catalogueClass\n      subclass\n      redshift\n      source\n      release\n      magnitudes\n      missingModalities\n      strips {\n        ...StripFields\n        sourceFile\n      }\n      spectra1d {\n        survey\n        nPixels\n        wavelengthAngstrom\n        flux\n        ivar\n        sourceFile\n      }\n      cutout {\n        dataUrl\n        widthPx\n        heightPx\n        pixelScaleArcsec\n        source\n      }\n      predictions {\n        model {\n          id\n          name\n          architecture\n        }\n        predictedClass\n        confidence\n        probGalaxy\n        probQso\n        probStar\n        agreesWithCatalogue\n      }\n      activationMaps {\n        model {\n          id\n          name\n        }\n        target\n        targetClass\n        shape\n        values\n        wavelengthAngstrom\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LaunchGradCam($input: LaunchGradCamInput!) {\n    launchGradCam(input: $input) {\n      job {\n        id\n        status\n      }\n      error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation LaunchGradCam($input: LaunchGradCamInput!) {\n    launchGradCam(input: $input) {\n      job {\n        id\n        status\n      }\n      error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription GradCamJob($id: ID!) {\n    jobProgress(id: $id) {\n      id\n      status\n      progress\n      error\n    }\n  }\n"): (typeof documents)["\n  subscription GradCamJob($id: ID!) {\n    jobProgress(id: $id) {\n      id\n      status\n      progress\n      error\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FilterChoices {\n    models {\n      id\n      name\n    }\n    datasets {\n      id\n      name\n      version\n    }\n    objectStatistics {\n      bySourceAndClass {\n        source\n      }\n    }\n  }\n"): (typeof documents)["\n  query FilterChoices {\n    models {\n      id\n      name\n    }\n    datasets {\n      id\n      name\n      version\n    }\n    objectStatistics {\n      bySourceAndClass {\n        source\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ObjectsPage($filter: ObjectFilter, $first: Int, $after: String, $modelId: ID) {\n    objects(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          obsid\n          designation\n          catalogueClass\n          raDeg\n          decDeg\n          redshift\n          source\n          missingModalities\n          predictions(modelId: $modelId) {\n            predictedClass\n            confidence\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ObjectsPage($filter: ObjectFilter, $first: Int, $after: String, $modelId: ID) {\n    objects(filter: $filter, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          obsid\n          designation\n          catalogueClass\n          raDeg\n          decDeg\n          redshift\n          source\n          missingModalities\n          predictions(modelId: $modelId) {\n            predictedClass\n            confidence\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SkyMap($filter: ObjectFilter) {\n    skyMap(filter: $filter, limit: 100000) {\n      count\n      truncated\n      raDecBase64\n      idsBase64\n      classCodes\n    }\n  }\n"): (typeof documents)["\n  query SkyMap($filter: ObjectFilter) {\n    skyMap(filter: $filter, limit: 100000) {\n      count\n      truncated\n      raDecBase64\n      idsBase64\n      classCodes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Overview {\n    objectStatistics {\n      total\n      bySourceAndClass {\n        source\n        catalogueClass\n        count\n      }\n    }\n    jobs(first: 8) {\n      ...JobRow\n    }\n    models {\n      id\n      name\n      architecture\n      compact\n      parameterCount\n      createdAt\n      evaluation {\n        accuracy\n        objectCount\n        inferenceMsPerObject\n      }\n    }\n  }\n"): (typeof documents)["\n  query Overview {\n    objectStatistics {\n      total\n      bySourceAndClass {\n        source\n        catalogueClass\n        count\n      }\n    }\n    jobs(first: 8) {\n      ...JobRow\n    }\n    models {\n      id\n      name\n      architecture\n      compact\n      parameterCount\n      createdAt\n      evaluation {\n        accuracy\n        objectCount\n        inferenceMsPerObject\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TriageModels {\n    models {\n      id\n      name\n      dataset {\n        id\n      }\n      evaluation {\n        accuracy\n      }\n    }\n  }\n"): (typeof documents)["\n  query TriageModels {\n    models {\n      id\n      name\n      dataset {\n        id\n      }\n      evaluation {\n        accuracy\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Disagreements($modelId: ID!, $datasetId: ID, $first: Int, $after: String) {\n    objects(filter: { modelId: $modelId, disagreement: true }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          designation\n          obsid\n          catalogueClass\n          redshift\n          split(datasetId: $datasetId)\n          strips {\n            ...StripFields\n          }\n          cutout {\n            dataUrl\n            widthPx\n            heightPx\n          }\n          predictions(modelId: $modelId) {\n            predictedClass\n            confidence\n            probGalaxy\n            probQso\n            probStar\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Disagreements($modelId: ID!, $datasetId: ID, $first: Int, $after: String) {\n    objects(filter: { modelId: $modelId, disagreement: true }, first: $first, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          designation\n          obsid\n          catalogueClass\n          redshift\n          split(datasetId: $datasetId)\n          strips {\n            ...StripFields\n          }\n          cutout {\n            dataUrl\n            widthPx\n            heightPx\n          }\n          predictions(modelId: $modelId) {\n            predictedClass\n            confidence\n            probGalaxy\n            probQso\n            probStar\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      name\n      role\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      name\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobRow on Job {\n    id\n    kind\n    status\n    progress\n    queuedAt\n    finishedAt\n    launchedBy\n    params\n  }\n"): (typeof documents)["\n  fragment JobRow on Job {\n    id\n    kind\n    status\n    progress\n    queuedAt\n    finishedAt\n    launchedBy\n    params\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment JobLive on Job {\n    ...JobRow\n    progressDetail\n    error\n    backend\n    device\n    attempts\n    cancelRequested\n    startedAt\n    epochs {\n      epoch\n      loss\n      accuracy\n      valLoss\n      valAccuracy\n      durationMs\n    }\n  }\n"): (typeof documents)["\n  fragment JobLive on Job {\n    ...JobRow\n    progressDetail\n    error\n    backend\n    device\n    attempts\n    cancelRequested\n    startedAt\n    epochs {\n      epoch\n      loss\n      accuracy\n      valLoss\n      valAccuracy\n      durationMs\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EvaluationFields on Evaluation {\n    accuracy\n    classOrder\n    confusionMatrix\n    perClass {\n      class\n      precision\n      recall\n      f1\n      support\n    }\n  }\n"): (typeof documents)["\n  fragment EvaluationFields on Evaluation {\n    accuracy\n    classOrder\n    confusionMatrix\n    perClass {\n      class\n      precision\n      recall\n      f1\n      support\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StripFields on Strip {\n    arm\n    widthPx\n    lengthPx\n    valuesBase64\n    wavelengthAngstrom\n  }\n"): (typeof documents)["\n  fragment StripFields on Strip {\n    arm\n    widthPx\n    lengthPx\n    valuesBase64\n    wavelengthAngstrom\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;