using ConvCompare.Cli;

return CommandLine.Run(args);
