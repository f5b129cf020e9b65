namespace Runtime.Silo.Dashboard;

/// <summary>One validation or analysis finding on a stored resource.</summary>
/// <param name="Severity">Error, Warning or Info.</param>
/// <param name="Code">The analyzer's code (<c>MSH....</c>), or <c>VALIDATION</c> for a schema validation issue.</param>
/// <param name="Path">The field path; empty for the whole resource.</param>
/// <param name="Message">What is wrong, with the fix when one is known.</param>
internal sealed record DashboardFinding(string Severity, string Code, string Path, string Message);
