namespace Runtime.Abstractions.Telemetry;

/// <summary>Which side of a connection a setting applies to.</summary>
public enum WorkloadMode
{
    /// <summary><c>CLIENT_AND_SERVER</c>: Both sides.</summary>
    ClientAndServer,

    /// <summary><c>CLIENT</c>: The calling side.</summary>
    Client,

    /// <summary><c>SERVER</c>: The called side.</summary>
    Server,
}
