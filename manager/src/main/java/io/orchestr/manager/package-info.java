package io.orchestr.manager;
