using System.Reflection;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Runtime.Grpc.Server;
using Runtime.Silo.Dashboard;
using Runtime.Silo.Store;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Api;

/// <summary><c>runtime.mesh.v1.ServerInfoService</c>: what this control plane is.</summary>
internal sealed class ServerInfoApi(IConfigStore store, DashboardAddress http)
{
    public static ServiceDescriptor Descriptor { get; } = V1.ConfigReflection.Descriptor.Services.Single(s => s.Name == "ServerInfoService");

    public static string Version { get; } =
        typeof(ServerInfoApi).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public GrpcServiceDefinition Build() => GrpcServiceDefinition.For(Descriptor)
        .Unary<V1.GetVersionRequest, V1.GetVersionResponse>("GetVersion", GetVersionAsync)
        .Build();

    private async Task<V1.GetVersionResponse> GetVersionAsync(V1.GetVersionRequest request, GrpcCallContext context) => new()
    {
        Version = Version,
        Store = store.Name,
        Revision = await store.GetRevisionAsync(context.CancellationToken).ConfigureAwait(false),
        ApiVersion = "runtime.mesh.v1",
        HttpAddress = http.Address?.ToString() ?? "",
    };
}
