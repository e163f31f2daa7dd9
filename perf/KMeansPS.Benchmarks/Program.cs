using BenchmarkDotNet.Running;
using KMeansPS.Benchmarks;

// `dotnet pwsh ./build.ps1 bench --filter *Assign*`, `dotnet run -c Release -- --list flat`,
// or `fit-raw IMAGE K SEED` for the same-run engine vs scikit-learn comparison (perf/compare.ps1 -EngineFit).
// `stages IMAGE K SEED [RUNS]` for where the time of one image job goes; `palette IMAGE K SEED RUNS` the palette stage alone (for a profiler);
// `sweep FOLDER [K,K,..] [RUNS] [SEED] [ALGORITHM]` for PSNR and CPU time of every PNG of a folder at every K;
// `memory-cases OUTDIR [SIZE] [SEED]` writes the seeded images of perf/memory-bounds.ps1;
// `small-images OUTDIR [SEED]` the seeded small images of perf/small-images.ps1;
// `deflate RUNS CHAIN NICE PASSES FILE.png...` compares zlib, its redrawn blocks and the near-optimal parse on IDAT scanlines;
// `lloyd DATA.f32 INIT.f32 D K ITERATIONS ALGORITHM` times Lloyd iterations for perf/engine-compare.ps1.
if (args.Length > 0 && args[0] == "fit-raw") return RawPixelFit.Run(args);
if (args.Length > 0 && args[0] == "stages") return StageTimings.Run(args);
if (args.Length > 0 && args[0] == "palette") return PaletteLoop.Run(args);
if (args.Length > 0 && args[0] == "sweep") return PaletteSweep.Run(args);
if (args.Length > 0 && args[0] == "memory-cases") return MemoryCases.Run(args);
if (args.Length > 0 && args[0] == "small-images") return SmallImages.Run(args);
if (args.Length > 0 && args[0] == "deflate") return DeflateParses.Run(args);
if (args.Length > 0 && args[0] == "lloyd") return LloydIterations.Run(args);
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
