# syntax=docker/dockerfile:1
# VideoNas silo and CLI in one image.
#   docker build -t videonas:cpu .                                  CPU libtorch (the default)
#   docker build --build-arg TORCH_BACKEND=cuda -t videonas:cuda .  CUDA libtorch: needs TorchSharp-cuda-linux
#       in a NuGet feed the build can reach (add it to nuget.config); run with the NVIDIA container toolkit.
# The entry point is the silo; `videonas` (the CLI) is on the PATH as well.

ARG DOTNET_VERSION=10.0

FROM mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS build
ARG TORCH_BACKEND=cpu
WORKDIR /src
# Restore first, from the project files alone, so a source change does not download packages again.
COPY Directory.Build.props Directory.Packages.props VideoNas.sln ./
COPY src/Core/VideoNas.Core.csproj src/Core/
COPY src/Nas/VideoNas.Nas.csproj src/Nas/
COPY src/KernelProbe/VideoNas.KernelProbe.csproj src/KernelProbe/
COPY src/Grains/Abstractions/VideoNas.Grains.Abstractions.csproj src/Grains/Abstractions/
COPY src/Grains/Implementation/VideoNas.Grains.csproj src/Grains/Implementation/
COPY src/Silo/VideoNas.Silo.csproj src/Silo/
COPY src/Client/VideoNas.Client.csproj src/Client/
RUN dotnet restore src/Client/VideoNas.Client.csproj -p:TorchBackend=${TORCH_BACKEND}
COPY src/ src/
# The CLI references the silo and the kernel probe, so one publish holds all three programs.
RUN dotnet publish src/Client/VideoNas.Client.csproj -c Release --no-restore -p:TorchBackend=${TORCH_BACKEND} -o /app

FROM mcr.microsoft.com/dotnet/runtime:${DOTNET_VERSION} AS runtime
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ffmpeg graphviz \
    && rm -rf /var/lib/apt/lists/*
COPY --from=build /app /app
RUN printf '#!/bin/sh\nexec dotnet /app/videonas.dll "$@"\n' > /usr/local/bin/videonas \
    && printf '#!/bin/sh\nexec dotnet /app/videonas-silo.dll "$@"\n' > /usr/local/bin/videonas-silo \
    && chmod +x /usr/local/bin/videonas /usr/local/bin/videonas-silo \
    && useradd --create-home --uid 10001 videonas \
    && mkdir -p /data /runs /checkpoints && chown videonas /data /runs /checkpoints
USER videonas
# The kernel verdict and the patched LibTorchSharp copy are cached per CPU under ~/.cache/videonas.
ENV HOME=/home/videonas DOTNET_CLI_TELEMETRY_OPTOUT=1
# silo-to-silo, client gateway, Prometheus metrics (when VideoNas:MetricsPort is set)
EXPOSE 11111 30000 9464
ENTRYPOINT ["videonas-silo"]
