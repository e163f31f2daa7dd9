// The buffer cache lives in the engine, which shares it with the image jobs.
global using KMeansPS.Engine.Memory;
