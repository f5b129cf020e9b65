namespace Runtime.Sidecar.Tests.Forwarding;

/// <summary>Tests that measure process-wide memory run alone, so other tests' allocations do not count.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMeasurements
{
    public const string Name = "Serial (process-wide measurements)";
}
