// Selections shared by several pages' operations (client-preset adds the fragment definitions to
// each document that spreads them).
import { graphql } from "@/gql";

export const JobRowFragment = graphql(`
  fragment JobRow on Job {
    id
    kind
    status
    progress
    queuedAt
    finishedAt
    launchedBy
    params
  }
`);

export const JobLiveFragment = graphql(`
  fragment JobLive on Job {
    ...JobRow
    progressDetail
    error
    backend
    device
    attempts
    cancelRequested
    startedAt
    epochs {
      epoch
      loss
      accuracy
      valLoss
      valAccuracy
      durationMs
    }
  }
`);

export const EvaluationFragment = graphql(`
  fragment EvaluationFields on Evaluation {
    accuracy
    classOrder
    confusionMatrix
    perClass {
      class
      precision
      recall
      f1
      support
    }
  }
`);

export const StripFragment = graphql(`
  fragment StripFields on Strip {
    arm
    widthPx
    lengthPx
    valuesBase64
    wavelengthAngstrom
  }
`);

/** What a triage list shows of an object beside its classes: cutout and strips. */
export const TriageMediaFragment = graphql(`
  fragment TriageMedia on CelestialObject {
    strips {
      ...StripFields
    }
    cutout {
      dataUrl
      widthPx
      heightPx
    }
  }
`);

export const VerdictFieldsFragment = graphql(`
  fragment VerdictFields on LabelVerdict {
    id
    reviewer
    reviewerRole
    verdict
    correctedClass
    comment
    createdAt
  }
`);

export const AuditEntryFieldsFragment = graphql(`
  fragment AuditEntryFields on LabelAuditEntry {
    rank
    catalogueClass
    suggestedClass
    pCatalogue
    probGalaxy
    probQso
    probStar
    votes
    inSample
    object {
      id
      designation
      obsid
      ...TriageMedia
    }
  }
`);
