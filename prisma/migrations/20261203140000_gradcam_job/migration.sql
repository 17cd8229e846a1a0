-- Grad-CAM maps computed by a worker on request (the object page's button), not only by the CLI.
ALTER TYPE "JobKind" ADD VALUE 'GRADCAM';
