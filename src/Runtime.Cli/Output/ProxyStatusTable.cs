using Runtime.Cli.Api;

namespace Runtime.Cli.Output;

/// <summary>The proxy-status table; a NACKED row is followed by an indented line with the rejection reason.</summary>
internal static class ProxyStatusTable
{
    private static readonly string[] Headers = ["NAME", "SERVICE", "NAMESPACE", "ADDRESS", "STATE", "VERSION", "AGE", "CERTIFICATE"];

    public static void Write(TextWriter output, IReadOnlyList<ProxyStatusRow> rows, DateTimeOffset now)
    {
        using var table = new StringWriter();
        TextTable.Write(table, Headers, [.. rows.Select(r => (IReadOnlyList<string>)
        [
            r.Instance, r.Service, r.Namespace, r.Address, r.State,
            r.AckedVersion.Length > 0 ? r.AckedVersion : "-",
            AgeText.Format(r.LastHeartbeat, now),
            Certificate(r.Certificate, now),
        ])]);

        WriteLines(output, rows, table.ToString());
    }

    /// <summary>The workload certificate's remaining life: <c>expires in 23h</c>, <c>EXPIRED 5m ago</c>, or <c>none</c>.</summary>
    internal static string Certificate(ReportedCertificate? certificate, DateTimeOffset now) => certificate switch
    {
        null => "none",
        { NotAfter: null } => "unknown expiry",
        { NotAfter: { } notAfter } when notAfter > now => $"expires in {AgeText.Span(notAfter - now)}",
        { NotAfter: { } notAfter } => $"EXPIRED {AgeText.Span(now - notAfter)} ago",
    };

    private static void WriteLines(TextWriter output, IReadOnlyList<ProxyStatusRow> rows, string text)
    {
        var lines = text.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        output.WriteLine(lines[0]);
        for (var i = 0; i < rows.Count; i++)
        {
            output.WriteLine(lines[i + 1]);
            if (rows[i].State == "NACKED")
            {
                output.WriteLine($"    NACK of version {rows[i].LatestVersion}: {rows[i].NackError}");
            }
        }
    }
}
