using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using VideoNas.Grains;

// The silo host. Configuration comes from appsettings.json, VIDEONAS_* environment variables and the
// command line, e.g. `videonas-silo --VideoNas:StateDir /data/videonas --VideoNas:SiloPort 11111`.
if (args.Contains("--help"))
{
    Console.WriteLine("""
        videonas-silo [--VideoNas:StateDir DIR] [--VideoNas:SiloPort P] [--VideoNas:GatewayPort P]

        Runs one VideoNas silo with localhost clustering and grain state as JSON files under StateDir
        (default ./.videonas). Settings also come from appsettings.json and VIDEONAS_ environment
        variables (VIDEONAS_VideoNas__StateDir=...).
        """);
    return 0;
}
var builder = Host.CreateApplicationBuilder(args);
builder.Configuration.AddEnvironmentVariables("VIDEONAS_");
var section = builder.Configuration.GetSection("VideoNas");
string stateDir = section["StateDir"] ?? ".videonas";
int siloPort = section.GetValue("SiloPort", 11111);
int gatewayPort = section.GetValue("GatewayPort", 30000);
builder.UseOrleans(silo => silo
    .UseLocalhostClustering(siloPort, gatewayPort)
    .AddVideoNasFileStorage(stateDir)
    .AddVideoNasDefaults());
await builder.Build().RunAsync();
return 0;
