namespace Runtime.Abstractions.Networking;

/// <summary>Whether a ServiceEntry is part of the mesh.</summary>
public enum ServiceLocation
{
    /// <summary><c>MESH_EXTERNAL</c>: Outside the mesh; no mTLS.</summary>
    MeshExternal,

    /// <summary><c>MESH_INTERNAL</c>: Part of the mesh.</summary>
    MeshInternal,
}
