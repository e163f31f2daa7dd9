// The buffer cache lives in the engine (the stage timings and decode benchmarks clear it between runs).
global using KMeansPS.Engine.Memory;
