//! Pure planning: eligible workers + buses + policy in, a plan out.
