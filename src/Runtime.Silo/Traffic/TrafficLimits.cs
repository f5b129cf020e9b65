namespace Runtime.Silo.Traffic;

/// <summary>What bounds the memory the traffic reports take.</summary>
internal static class TrafficLimits
{
    /// <summary>How long reports are kept: the longest graph window.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromMinutes(10);

    /// <summary>Reports received within one bucket width are merged: at most Retention / BucketWidth buckets per proxy.</summary>
    public static readonly TimeSpan BucketWidth = TimeSpan.FromSeconds(1);

    /// <summary>Distinct edges kept per proxy and bucket; the rest of a report's edges are dropped (and counted).</summary>
    public const int MaxEdgesPerBucket = 1000;

    /// <summary>The shortest graph window, in seconds.</summary>
    public const int MinWindowSeconds = 5;

    /// <summary>The longest graph window, in seconds (the retention).</summary>
    public const int MaxWindowSeconds = 600;

    /// <summary>The graph window when none is asked for, in seconds.</summary>
    public const int DefaultWindowSeconds = 30;
}
