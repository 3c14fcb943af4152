// Child process of `startSimulatorProcess`: options in, URL out, "close" to stop.
import { startSimulator, type SimulatorOptions } from '../../demo/erp-simulator/index.js';

process.once('message', (options: Partial<SimulatorOptions>) => {
  void startSimulator(options).then((simulator) => {
    process.send!({ url: simulator.url });
    const stop = () => void simulator.close().finally(() => process.exit(0));
    process.on('message', (message) => message === 'close' && stop());
    // The parent died: do not outlive it.
    process.once('disconnect', stop);
  });
});
