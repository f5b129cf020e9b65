using System.Text.Json;
using Runtime.Abstractions.Security;
using Runtime.Cli.Output;

namespace Runtime.Cli.TlsCheck;

/// <summary>Prints tls-check rows: a table like istioctl's old <c>authn tls-check</c> (with the reasons below it), or JSON.</summary>
internal static class TlsCheckOutput
{
    private static readonly string[] Headers = ["HOST:PORT", "STATUS", "SERVER", "CLIENT", "AUTHN POLICY", "DESTINATION RULE", "CERTIFICATES"];

    /// <summary>The table, then one line per row that is not OK saying why and for which workloads.</summary>
    public static void WriteText(TextWriter output, IReadOnlyList<TlsCheckRow> rows)
    {
        TextTable.Write(output, Headers, [.. rows.Select(r => (IReadOnlyList<string>)
        [
            $"{r.Host}:{r.Port}", Status(r.Status), Mode(r.ServerMode), r.Client, r.AuthnPolicy, r.DestinationRule ?? "-", Certificates(r),
        ])]);
        var problems = rows.Where(r => r.Reason is not null).ToList();
        if (problems.Count > 0)
        {
            output.WriteLine();
            foreach (var row in problems)
            {
                output.WriteLine($"{Status(row.Status)} {row.Host}:{row.Port}: {row.Reason} (servers: {string.Join(", ", row.Servers)}; clients: {string.Join(", ", row.Clients)})");
            }
        }
    }

    /// <summary>A JSON array, one object per row, with the workloads and clients named.</summary>
    public static string ToJson(IReadOnlyList<TlsCheckRow> rows)
    {
        using var output = new MemoryStream();
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartArray();
        foreach (var row in rows)
        {
            json.WriteStartObject();
            json.WriteString("host", row.Host);
            json.WriteNumber("port", row.Port);
            json.WriteString("status", Status(row.Status));
            json.WriteStartObject("server");
            json.WriteString("mode", Mode(row.ServerMode));
            json.WriteString("peerAuthentication", row.AuthnPolicy);
            json.WriteString("certificates", State(row.ServerCertificates));
            Strings(json, "workloads", row.Servers);
            json.WriteEndObject();
            json.WriteStartObject("client");
            json.WriteString("mode", row.Client);
            json.WriteBoolean("autoMtls", row.DestinationRule is null || row.Client.EndsWith("(auto)", StringComparison.Ordinal));
            if (row.DestinationRule is null)
            {
                json.WriteNull("destinationRule");
            }
            else
            {
                json.WriteString("destinationRule", row.DestinationRule);
            }

            json.WriteString("certificates", State(row.ClientCertificates));
            Strings(json, "workloads", row.Clients);
            json.WriteEndObject();
            if (row.Reason is null)
            {
                json.WriteNull("reason");
            }
            else
            {
                json.WriteString("reason", row.Reason);
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.Flush();
        return System.Text.Encoding.UTF8.GetString(output.ToArray()) + "\n";
    }

    private static void Strings(Utf8JsonWriter json, string name, IReadOnlyList<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static string Status(TlsCheckStatus status) => status switch
    {
        TlsCheckStatus.Ok => "OK",
        TlsCheckStatus.Warning => "WARNING",
        _ => "CONFLICT",
    };

    private static string Mode(MutualTlsMode mode) => mode switch
    {
        MutualTlsMode.Strict => "STRICT",
        MutualTlsMode.Disable => "DISABLE",
        MutualTlsMode.Permissive => "PERMISSIVE",
        _ => "UNSET",
    };

    private static string State(CertificateState state) => state switch
    {
        CertificateState.Present => "yes",
        CertificateState.Absent => "no",
        _ => "unknown",
    };

    private static string Certificates(TlsCheckRow row) => (row.ServerCertificates, row.ClientCertificates) switch
    {
        (CertificateState.Present, CertificateState.Present) => "yes",
        (CertificateState.Absent, CertificateState.Absent) => "no (server, clients)",
        (CertificateState.Absent, _) => "no (server)",
        (_, CertificateState.Absent) => "no (clients)",
        _ => "unknown",
    };
}
