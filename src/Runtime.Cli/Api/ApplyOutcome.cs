namespace Runtime.Cli.Api;

/// <summary>What an apply did to one resource, worded as kubectl words it.</summary>
internal enum ApplyOutcome
{
    Created,
    Configured,
    Unchanged,
}
