using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Runtime.Sidecar.Security;

/// <summary>
/// Reads and checks the SPIFFE identity of a certificate: its subject alternative names must be exactly one URI,
/// <c>spiffe://&lt;trust-domain&gt;/ns/&lt;namespace&gt;/sa/&lt;service-account&gt;</c>, with no wildcard, no
/// percent-encoding, no query or fragment and no empty or dot segment.
/// </summary>
internal static class TlsSpiffeId
{
    private const string SubjectAltNameOid = "2.5.29.17";
    private const string Scheme = "spiffe://";
    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The identity in <paramref name="certificate"/>, or null with the reason in <paramref name="problem"/>.</summary>
    public static PeerIdentity? Read(X509Certificate2 certificate, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var extensions = certificate.Extensions.Where(e => e.Oid?.Value == SubjectAltNameOid).ToList();
        if (extensions.Count != 1)
        {
            problem = extensions.Count == 0 ? "the certificate has no subject alternative name" : "the certificate has several subject alternative name extensions";
            return null;
        }

        var uris = new List<string>();
        var others = 0;
        try
        {
            var reader = new AsnReader(extensions[0].RawData, AsnEncodingRules.DER);
            var names = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            while (names.HasData)
            {
                if (names.PeekTag() == UriTag)
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                    others++;
                }
            }
        }
        catch (AsnContentException ex)
        {
            problem = $"the subject alternative name extension is malformed ({ex.Message})";
            return null;
        }

        if (uris.Count != 1 || others != 0)
        {
            problem = $"the certificate must carry exactly one subject alternative name, a SPIFFE URI (found {uris.Count} URI and {others} other)";
            return null;
        }

        return Parse(uris[0], out problem);
    }

    /// <summary>The URI subject alternative names of <paramref name="certificate"/> (empty when none or malformed).</summary>
    public static IReadOnlyList<string> UriNames(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        var uris = new List<string>();
        foreach (var extension in certificate.Extensions.Where(e => e.Oid?.Value == SubjectAltNameOid))
        {
            try
            {
                var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
                while (names.HasData)
                {
                    if (names.PeekTag() == UriTag)
                    {
                        uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
                    }
                    else
                    {
                        names.ReadEncodedValue();
                    }
                }
            }
            catch (AsnContentException)
            {
                return [];
            }
        }

        return uris;
    }

    /// <summary>Parses a SPIFFE id of the form <c>spiffe://td/ns/NS/sa/SA</c>, or null with the reason.</summary>
    public static PeerIdentity? Parse(string id, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (!id.StartsWith(Scheme, StringComparison.Ordinal))
        {
            problem = $"'{id}' is not a spiffe:// URI";
            return null;
        }

        var parts = id[Scheme.Length..].Split('/');
        if (parts.Length != 5 || parts[1] != "ns" || parts[3] != "sa")
        {
            problem = $"'{id}' is not of the form spiffe://<trust-domain>/ns/<namespace>/sa/<service-account>";
            return null;
        }

        if (!IsTrustDomain(parts[0]) || !IsSegment(parts[2]) || !IsSegment(parts[4]))
        {
            problem = $"'{id}' has a malformed trust domain, namespace or service account (wildcards, encodings and dot segments are refused)";
            return null;
        }

        problem = null;
        return new PeerIdentity(id, parts[0], parts[2], parts[4]);
    }

    private static bool IsTrustDomain(string value) =>
        value.Length is > 0 and <= 255 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or '_');

    private static bool IsSegment(string value) =>
        value.Length is > 0 and <= 253 && value is not ("." or "..")
        && value.All(c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '.' or '-' or '_');
}
