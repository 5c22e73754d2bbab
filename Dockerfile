# syntax=docker/dockerfile:1
# One file for both images: the target names the app. Build from the repository root:
#   docker build --target operator  -t <registry>/wavelet-operator:<tag> .
#   docker build --target dataplane -t <registry>/wavelet-dataplane:<tag> .

# The sources both apps build from. The operator compiles the data plane's Observability/MeterExposition.cs (linked
# from its csproj), and its DDL library lives in operator/, so each image's publish sees all three folders.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS source
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY api/ api/
COPY dataplane/ dataplane/
COPY operator/ operator/

# The NuGet cache is a BuildKit cache mount: a source edit re-runs restore, but from the cache.
FROM source AS publish-dataplane
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish dataplane/Wavelet.DataPlane/Wavelet.DataPlane.csproj -c Release -o /app /p:UseAppHost=false

FROM source AS publish-operator
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish operator/Wavelet.Operator/Wavelet.Operator.csproj -c Release -o /app /p:UseAppHost=false

# Chiseled: no shell and no package manager at runtime; runs as a non-root UID. Nothing is written to the filesystem
# at runtime, so readOnlyRootFilesystem works; .NET needs no writable temp dir with DOTNET_EnableDiagnostics=0.
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
LABEL org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
ENV ASPNETCORE_URLS=http://+:8080 \
    DOTNET_EnableDiagnostics=0 \
    DOTNET_gcServer=0
USER 65532:65532

# /healthz, /livez, /readyz and /metrics answer on 9090 only, so a Service exposing 8080 does not expose them.
FROM runtime AS dataplane
LABEL org.opencontainers.image.title="wavelet-dataplane" \
      org.opencontainers.image.description="Wavelet data plane: live queries over WebSocket and HTTP"
COPY --from=publish-dataplane /app ./
ENV WAVELET_MANAGEMENT_PORT=9090
EXPOSE 8080 9090
ENTRYPOINT ["dotnet", "Wavelet.DataPlane.dll"]

# Metrics on 8080, health probes on 8081 (the chart's metrics.port and healthPort).
FROM runtime AS operator
LABEL org.opencontainers.image.title="wavelet-operator" \
      org.opencontainers.image.description="Wavelet Operator: reconciles WaveletProjects"
COPY --from=publish-operator /app ./
EXPOSE 8080 8081
ENTRYPOINT ["dotnet", "Wavelet.Operator.dll"]
