using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Runtime.Silo.Ca;

/// <summary>
/// Reads the URIs of a subjectAltName extension; .NET's <see cref="X509SubjectAlternativeNameExtension"/> exposes
/// only DNS names and IP addresses, so the GeneralNames are read with <see cref="AsnReader"/>.
/// </summary>
internal static class SubjectAlternativeNames
{
    /// <summary>The subjectAltName extension's OID.</summary>
    public const string Oid = "2.5.29.17";

    private static readonly Asn1Tag UriTag = new(TagClass.ContextSpecific, 6);

    /// <summary>The URIs (GeneralName [6]) in a subjectAltName extension's value; throws <see cref="AsnContentException"/> when malformed.</summary>
    public static IReadOnlyList<string> ReadUris(ReadOnlyMemory<byte> extensionValue)
    {
        var uris = new List<string>();
        var reader = new AsnReader(extensionValue, AsnEncodingRules.DER);
        var names = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        while (names.HasData)
        {
            var tag = names.PeekTag();
            if (tag.HasSameClassAndValue(UriTag))
            {
                uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, UriTag));
            }
            else
            {
                names.ReadEncodedValue();
            }
        }

        return uris;
    }

    /// <summary>The URIs in a certificate's subjectAltName, empty when it has none.</summary>
    public static IReadOnlyList<string> ReadUris(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return certificate.Extensions[Oid] is { } extension ? ReadUris(extension.RawData) : [];
    }
}
