namespace Runtime.Silo.Ca;

/// <summary>The CA refused to sign or to create a token; <see cref="Exception.Message"/> says why.</summary>
internal sealed class CaRequestRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CaRequestRefusedException(CaRefusal reason, string message)
        : base(message)
    {
        Reason = reason;
    }

    /// <summary>Creates the exception (for serializers and analyzers).</summary>
    public CaRequestRefusedException()
    {
    }

    /// <summary>Creates the exception (for serializers and analyzers).</summary>
    public CaRequestRefusedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception (for serializers and analyzers).</summary>
    public CaRequestRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The kind of refusal.</summary>
    public CaRefusal Reason { get; }
}
