using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Runtime.Sidecar.Hosting;

namespace Runtime.Sidecar.Security;

/// <summary>Registers the workload certificate from the mesh CA.</summary>
internal static class CertificateServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="CertificateRotation"/> as the <see cref="IWorkloadCertificateSource"/>; the host starts it
    /// with <see cref="CertificateRotation.Start"/> and disposes it when stopping.
    /// </summary>
    public static IServiceCollection AddWorkloadCertificates(this IServiceCollection services, SidecarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton(sp => new CertificateRotation(
            new CaClient(options.ControlPlanes.Count > 0 ? [.. options.ControlPlanes] : [new Uri(SidecarCommandLine.DefaultControlPlane)], TimeSpan.FromSeconds(10)),
            () => ReadToken(options),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<CertificateRotation>>()));
        services.AddSingleton<IWorkloadCertificateSource>(sp => sp.GetRequiredService<CertificateRotation>());
        return services;
    }

    /// <summary>The bootstrap token: <c>MESH_TOKEN</c> if set, else the token file's trimmed content; null when neither has one.</summary>
    internal static string? ReadToken(SidecarOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.Token))
        {
            return options.Token.Trim();
        }

        if (string.IsNullOrEmpty(options.TokenFile))
        {
            return null;
        }

        var text = File.ReadAllText(options.TokenFile).Trim();
        return text.Length == 0 ? null : text;
    }
}
