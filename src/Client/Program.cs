using VideoNas.Client.Cli;

return await CliApp.RunAsync(args);
