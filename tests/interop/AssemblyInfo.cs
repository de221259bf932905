// The runs share two CPUs with everything else on a CI machine: one at a time keeps every
// bounded wait far from its limit.  (Each run has its own namespaces, so parallel would work.)
[assembly: CollectionBehavior(DisableTestParallelization = true)]
