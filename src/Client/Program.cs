return await CliApp.RunAsync(args);
