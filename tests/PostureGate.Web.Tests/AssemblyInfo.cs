// Browser tests share two CPUs with everything else on a CI machine: one Chromium at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
