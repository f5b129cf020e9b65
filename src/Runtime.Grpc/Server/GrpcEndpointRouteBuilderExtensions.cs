using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Runtime.Grpc.Server.Reflection;

namespace Runtime.Grpc.Server;

/// <summary>Maps gRPC services onto ASP.NET Core endpoint routing.</summary>
public static class GrpcEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps every registered method of <paramref name="service"/> at <c>POST /package.Service/Method</c>;
    /// other methods of the service answer UNIMPLEMENTED.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <param name="service">The service definition from <see cref="GrpcServiceDefinition.For"/>.</param>
    /// <returns>A builder applying conventions to all endpoints of the service.</returns>
    public static IEndpointConventionBuilder MapGrpcService(this IEndpointRouteBuilder endpoints, GrpcServiceDefinition service)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(service);
        var invoker = RequireTransport(endpoints);
        endpoints.ServiceProvider.GetRequiredService<GrpcServiceRegistry>().Add(service.Service);

        var builders = new List<IEndpointConventionBuilder>(service.Handlers.Count + 1);
        foreach (var handler in service.Handlers)
        {
            builders.Add(endpoints
                .MapPost(handler.Path, httpContext => invoker.InvokeAsync(httpContext, handler.Path, handler))
                .WithDisplayName($"gRPC {handler.Path}"));
        }

        // Declared-but-unregistered and unknown methods of this service: UNIMPLEMENTED, not HTTP 404.
        builders.Add(endpoints
            .MapPost($"/{service.Service.FullName}/{{**method}}", httpContext => invoker.InvokeAsync(httpContext, httpContext.Request.Path, handler: null))
            .WithDisplayName($"gRPC {service.Service.FullName} unimplemented"));
        return new CompositeEndpointConventionBuilder(builders);
    }

    /// <summary>
    /// Maps gRPC server reflection (<c>grpc.reflection.v1.ServerReflection</c> and
    /// <c>grpc.reflection.v1alpha.ServerReflection</c>), describing every service mapped with
    /// <see cref="MapGrpcService"/> and the reflection services themselves, with the transitive
    /// dependencies of their files.
    /// </summary>
    /// <param name="endpoints">The endpoint route builder.</param>
    /// <returns>A builder applying conventions to both reflection endpoints.</returns>
    public static IEndpointConventionBuilder MapGrpcReflection(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        RequireTransport(endpoints);
        var reflection = endpoints.ServiceProvider.GetRequiredService<ServerReflectionService>();
        return new CompositeEndpointConventionBuilder([.. reflection.CreateDefinitions().Select(endpoints.MapGrpcService)]);
    }

    private static GrpcCallInvoker RequireTransport(IEndpointRouteBuilder endpoints) =>
        endpoints.ServiceProvider.GetService<GrpcCallInvoker>()
        ?? throw new InvalidOperationException("gRPC transport services are missing; call services.AddGrpcTransport() at startup.");
}
