// `harness`: the command-line face of WeightInit Harness (see HarnessCli for the command tree).
return Harness.HarnessCli.Run(args);
