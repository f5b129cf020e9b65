namespace Runtime.Abstractions.Analysis;

/// <summary>How serious an analysis finding is, in istioctl's words.</summary>
public enum FindingLevel
{
    /// <summary>The configuration does not do what it says: traffic fails or a rule is ignored.</summary>
    Error,

    /// <summary>The configuration works but very likely not as intended.</summary>
    Warning,

    /// <summary>Worth knowing; nothing is broken.</summary>
    Info,
}
