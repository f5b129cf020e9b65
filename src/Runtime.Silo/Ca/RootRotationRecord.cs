using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

namespace Runtime.Silo.Ca;

/// <summary>
/// The self-signed CA's roots, signer, phase and generation as kept in the store (row <c>ca-rotation</c>, JSON),
/// and the three steps of a root rotation as pure transitions from one record to the next.
/// </summary>
/// <param name="Generation">Raised by every step.</param>
/// <param name="Phase">Where the rotation stands.</param>
/// <param name="Roots">The trusted roots, oldest first.</param>
/// <param name="SigningIndex">Which of <paramref name="Roots"/> signs.</param>
internal sealed record RootRotationRecord(long Generation, RotationPhase Phase, IReadOnlyList<StoredRoot> Roots, int SigningIndex)
{
    /// <summary>The record of a CA that never rotated: its one root, generation 1.</summary>
    public static RootRotationRecord Initial(StoredRoot root) => new(1, RotationPhase.Stable, [root], 0);

    /// <summary>The step that follows <paramref name="phase"/>.</summary>
    public static RotationStep NextStep(RotationPhase phase) => phase switch
    {
        RotationPhase.Prepared => RotationStep.Switch,
        RotationPhase.Switched => RotationStep.Finish,
        _ => RotationStep.Prepare,
    };

    /// <summary>A human description of <paramref name="phase"/> for refusals and logs.</summary>
    public static string Describe(RotationPhase phase) => phase switch
    {
        RotationPhase.Prepared => "PREPARED (old and new root trusted, the old one signs)",
        RotationPhase.Switched => "SWITCHED (old and new root trusted, the new one signs)",
        _ => "STABLE (one root)",
    };

    /// <summary>
    /// The record after <paramref name="step"/>; <paramref name="createRoot"/> makes the new root for PREPARE (given
    /// the generation it is created at).
    /// </summary>
    /// <exception cref="CaRequestRefusedException">The step is out of order (FailedPrecondition, naming the phase and the expected step).</exception>
    public RootRotationRecord Next(RotationStep step, Func<long, StoredRoot> createRoot)
    {
        ArgumentNullException.ThrowIfNull(createRoot);
        var expected = NextStep(Phase);
        if (step != expected)
        {
            throw new CaRequestRefusedException(
                CaRefusal.FailedPrecondition,
                $"cannot run step {step.ToString().ToUpperInvariant()}: the root rotation is {Describe(Phase)}; the next step is {expected.ToString().ToUpperInvariant()} (meshctl ca rotate --step {expected.ToString().ToLowerInvariant()})");
        }

        return step switch
        {
            RotationStep.Prepare => new RootRotationRecord(Generation + 1, RotationPhase.Prepared, [Roots[SigningIndex], createRoot(Generation + 1)], 0),
            RotationStep.Switch => this with { Generation = Generation + 1, Phase = RotationPhase.Switched, SigningIndex = Roots.Count - 1 },
            _ => new RootRotationRecord(Generation + 1, RotationPhase.Stable, [Roots[SigningIndex]], 0),
        };
    }

    /// <summary>The signer this record describes (self-signed mode): the signing root with its key, every root trusted.</summary>
    public CaState ToState()
    {
        var signing = Roots[SigningIndex];
        using var key = ECDsa.Create();
        key.ImportPkcs8PrivateKey(signing.KeyPkcs8, out _);
        using var publicOnly = X509CertificateLoader.LoadCertificate(signing.CertificateDer);
        var roots = new X509Certificate2Collection();
        foreach (var root in Roots)
        {
            roots.Add(X509CertificateLoader.LoadCertificate(root.CertificateDer));
        }

        return new CaState(new CaSigner(publicOnly.CopyWithPrivateKey(key), [], roots, CaSigner.SelfSignedMode), Generation, Phase);
    }

    /// <summary>The record as stored.</summary>
    public byte[] Serialize()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteNumber("generation", Generation);
            writer.WriteString("phase", Phase.ToString().ToLowerInvariant());
            writer.WriteNumber("signing", SigningIndex);
            writer.WriteStartArray("roots");
            foreach (var root in Roots)
            {
                writer.WriteStartObject();
                writer.WriteBase64String("cert", root.CertificateDer);
                writer.WriteBase64String("key", root.KeyPkcs8);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads a stored record.</summary>
    /// <exception cref="InvalidOperationException">The stored value is not a valid record (names what is wrong).</exception>
    public static RootRotationRecord Parse(byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        try
        {
            using var document = JsonDocument.Parse(stored);
            var json = document.RootElement;
            var phase = Enum.Parse<RotationPhase>(json.GetProperty("phase").GetString() ?? "", ignoreCase: true);
            var roots = json.GetProperty("roots").EnumerateArray()
                .Select(r => new StoredRoot(r.GetProperty("cert").GetBytesFromBase64(), r.GetProperty("key").GetBytesFromBase64()))
                .ToList();
            var signing = json.GetProperty("signing").GetInt32();
            var generation = json.GetProperty("generation").GetInt64();
            if (roots.Count == 0 || signing < 0 || signing >= roots.Count || generation < 1)
            {
                throw new InvalidOperationException($"it has {roots.Count} roots, signing index {signing}, generation {generation}");
            }

            return new RootRotationRecord(generation, phase, roots, signing);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or ArgumentException or FormatException or InvalidOperationException)
        {
            throw new InvalidOperationException($"the stored CA rotation state (ca_material row '{CaStartup.RotationName}') is unreadable: {ex.Message}; restore the database from a backup", ex);
        }
    }
}
