using BenchmarkDotNet.Running;

// `dotnet pwsh ./build.ps1 bench -- --filter *Assign*` or `dotnet run -c Release -- --list flat`.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
