using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(Runtime.Benchmarks.ConfigStoreBenchmarks).Assembly).Run(args);
