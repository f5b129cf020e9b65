namespace Runtime.Silo.Dashboard;

/// <summary>A proxy's workload certificate as the dashboard shows it.</summary>
/// <param name="SpiffeId">The SPIFFE id in the leaf.</param>
/// <param name="NotAfter">When the leaf expires (UTC, so JSON writes it with <c>Z</c>).</param>
/// <param name="SecondsLeft">Whole seconds until it expires; negative once expired.</param>
internal sealed record DashboardCertificate(string SpiffeId, DateTime NotAfter, long SecondsLeft);
