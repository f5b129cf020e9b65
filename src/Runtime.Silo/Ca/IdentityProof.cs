namespace Runtime.Silo.Ca;

/// <summary>How a signing request proves the identity it is for.</summary>
internal abstract record IdentityProof
{
    private protected IdentityProof()
    {
    }
}
